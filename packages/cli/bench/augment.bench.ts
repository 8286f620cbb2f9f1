// pnpm bench (data): the cost of augmenting a 64-image batch on the host, against one training
// step of the stage-5 cnn on the same batch, measured in the same run.
import { initBackend } from '@fmnist/backend';
import { createModel } from '@fmnist/models';
import { Adam, fromLayersModel, trainStep } from '@fmnist/trainer';
import * as tf from '@tensorflow/tfjs-core';
import {
  Compose,
  CutMix,
  DataLoader,
  loadFashionMnist,
  MixUp,
  Normalize,
  RandomAffine,
  RandomCrop,
  RandomErasing,
  RandomHorizontalFlip,
  Resize,
  Rng,
  type Transform,
} from '@fmnist/data';

const ds = await loadFashionMnist({ split: 'test' });
const idx = Array.from({ length: 64 }, (_, i) => i);
const time = (f: () => void, n = 200) => {
  for (let i = 0; i < 10; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
};
const plain = new DataLoader(ds, { batchSize: 64, layout: 'image' });
const base = time(() => plain.hostBatch(idx, new Rng(1)));
await initBackend();
const model = createModel('cnn');
const trainable = fromLayersModel(model);
const opt = new Adam();
const host = plain.hostBatch(idx, new Rng(1));
const xs = tf.tensor(host.x, host.xShape);
const ys = tf.tensor(host.y, host.yShape);
const step = time(() => trainStep(trainable, opt, xs, ys, { accuracy: false }), 10);
const transforms: [string, Transform][] = [
  ['RandomHorizontalFlip', new RandomHorizontalFlip()],
  ['RandomCrop(28, padding 2)', new RandomCrop({ size: 28, padding: 2 })],
  ['RandomErasing', new RandomErasing({ p: 1 })],
  ['RandomAffine(10°, 0.1, 0.9-1.1)', new RandomAffine({ degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] })],
  ['Resize(32)', new Resize({ size: 32 })],
  ['Normalize', new Normalize({ mean: 0.286, std: 0.353 })],
  ['flip + crop + erase', new Compose([new RandomHorizontalFlip(), new RandomCrop({ size: 28, padding: 2 }), new RandomErasing()])],
];
console.log(`batch of 64 from bytes, no augmentation: ${base.toFixed(3)} ms; one cnn training step on it (${tf.getBackend()}): ${step.toFixed(1)} ms`);
console.log('| transform | ms per 64 images (incl. batch build) | share of a cnn training step |');
console.log('|---|---|---|');
for (const [name, t] of transforms) {
  const loader = new DataLoader(ds, { batchSize: 64, layout: 'image', transform: t });
  const ms = time(() => loader.hostBatch(idx, new Rng(1)));
  console.log(`| ${name} | ${ms.toFixed(3)} | ${((ms / step) * 100).toFixed(2)}% |`);
}
for (const [name, mix] of [
  ['MixUp', new MixUp()],
  ['CutMix', new CutMix()],
] as const) {
  const loader = new DataLoader(ds, { batchSize: 64, layout: 'image', mix });
  const ms = time(() => loader.hostBatch(idx, new Rng(1)));
  console.log(`| ${name} | ${ms.toFixed(3)} | ${((ms / step) * 100).toFixed(2)}% |`);
}
