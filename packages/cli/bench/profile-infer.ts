// Ad-hoc: per-kernel profile of one inference batch of a zoo model on the current backend.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@fmnist/backend';
import { createModel, type ModelName } from '@fmnist/models';

const name = (process.argv[2] ?? 'cnn') as ModelName;
const batch = Number(process.argv[3] ?? 1024);
await initBackend({ backend: 'wasm' });
const model = createModel(name, { seed: 1 });
const image = name === 'cnn' || name === 'vgg-style';
const x = tf.randomUniform(image ? [batch, 28, 28, 1] : [batch, 784]);
const step = () => tf.tidy(() => (model.predict(x, { batchSize: batch }) as tf.Tensor).dataSync());
for (let i = 0; i < 3; i++) step();
const n = 10;
const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const ms = (performance.now() - t0) / n;
console.log(`${name} ${tf.getBackend()} infer batch ${batch}: ${ms.toFixed(1)} ms, ${((batch * 1000) / ms).toFixed(0)} img/s`);
const prof = await tf.profile(() => {
  step();
});
const agg = new Map<string, number>();
for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + ((await k.kernelTimeMs) as number));
for (const [k, v] of [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${k.padEnd(26)} ${v.toFixed(1).padStart(8)} ms`);
