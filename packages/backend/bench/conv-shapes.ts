// Ad-hoc: per-shape times of the convolution kernels, ours vs XNNPACK-based (min of repeated runs).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, patchWasm } from '../src/index';

await initBackend({ backend: 'wasm', threads: Number(process.env.T ?? 1) });
const best = (f: () => tf.Tensor, n = 15) => {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = f();
    r.dataSync();
    min = Math.min(min, performance.now() - t0);
    r.dispose();
  }
  return min.toFixed(2);
};
const shapes: [string, [number, number, number, number], [number, number, number, number]][] = [
  ['cnn conv1', [64, 28, 28, 1], [3, 3, 1, 32]],
  ['cnn conv2', [64, 14, 14, 32], [3, 3, 32, 64]],
  ['vgg conv2', [64, 28, 28, 64], [3, 3, 64, 64]],
  ['vgg conv3', [64, 14, 14, 64], [3, 3, 64, 128]],
];
for (const [name, xs, fs] of shapes) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const f = tf.randomNormal(fs) as tf.Tensor4D;
  const bias = tf.randomNormal([fs[3]]);
  const dy = tf.randomNormal([xs[0], xs[1], xs[2], fs[3]]) as tf.Tensor4D;
  const row: string[] = [];
  for (const level of ['all', 'missing'] as const) {
    patchWasm(level);
    row.push(
      `${level === 'all' ? 'ours' : 'stock'}: fwd ${best(() => tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'same', bias }))} dx ${best(() => tf.conv2dTranspose(dy, f, xs as [number, number, number, number], 1, 'same'))} dw ${best(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor)}`,
    );
  }
  console.log(`${name.padEnd(10)} ${row.join(' | ')}`);
  tf.dispose([x, f, bias, dy]);
}
