// Ad-hoc: per-kernel profile of one training step of a zoo model on the current backend.
import * as tf from '@tensorflow/tfjs-core';
import { createModel, type ModelName } from '@fmnist/models';
import { Adam, fromLayersModel, trainStep } from '@fmnist/trainer';
import { initBackend, patchWasm } from '@fmnist/backend';

const name = (process.argv[2] ?? 'cnn') as ModelName;
const batch = Number(process.argv[3] ?? 64);
const level = (process.argv[4] ?? 'all') as 'all' | 'missing';
await initBackend({ backend: (process.env.BK as 'wasm') ?? 'wasm' });
if (tf.getBackend() === 'wasm') patchWasm(level);
const model = createModel(name, { seed: 1 });
const image = name === 'cnn' || name === 'vgg-style';
const x = tf.randomUniform(image ? [batch, 28, 28, 1] : [batch, 784]);
const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
// The training step the trainer and `fmnist bench` run: our Adam, fused where the backend has it.
const trainable = fromLayersModel(model);
const opt = new Adam({ lr: 1e-3 });
const step = () => {
  trainStep(trainable, opt, x, y, { accuracy: false });
};
for (let i = 0; i < 3; i++) step();
const n = 5;
const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const ms = (performance.now() - t0) / n;
console.log(`${name} ${tf.getBackend()}/${level} batch ${batch}: ${ms.toFixed(1)} ms/step, ${((batch * 1000) / ms).toFixed(0)} img/s`);
const prof = await tf.profile(step);
const agg = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const t = (await k.kernelTimeMs) as number;
  const e = agg.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += typeof t === 'number' ? t : 0;
  e.n++;
  agg.set(k.name, e);
}
const top = [...agg.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 18);
for (const [k, v] of top) console.log(`${k.padEnd(26)} ${v.ms.toFixed(1).padStart(8)} ms  x${v.n}`);
