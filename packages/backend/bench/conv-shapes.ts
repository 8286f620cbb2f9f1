// Ad-hoc: per-layer times of the convolution kernels (min of repeated runs) and their effective
// GFLOP/s (direct convolution's 2·N·H·W·9·Ci·Co FLOPs over the time): Winograd, our direct
// implicit GEMM (FMNIST_WINOGRAD off), and stock wasm (XNNPACK, our filter gradient on it).
// T=2 node --conditions=@fmnist/source --import tsx bench/conv-shapes.ts
import * as tf from '@tensorflow/tfjs-core';
import { setWinograd } from '../src/kernels/conv2d-winograd';
import { bestMs } from './best-ms';
import { initBackend, patchWasm } from '../src/index';

await initBackend({ backend: 'wasm', threads: Number(process.env.T ?? 1) });
const best = (f: () => tf.Tensor) => bestMs(f, 10);
type Shape = [number, number, number, number];
const shapes: [string, Shape, Shape][] = [
  ['cnn conv2', [64, 14, 14, 32], [3, 3, 32, 64]],
  ['vgg conv1', [64, 28, 28, 1], [3, 3, 1, 64]],
  ['vgg conv2', [64, 28, 28, 64], [3, 3, 64, 64]],
  ['vgg conv3', [64, 14, 14, 64], [3, 3, 64, 128]],
  ['vgg conv4', [64, 14, 14, 128], [3, 3, 128, 128]],
];
const fmt = (ms: number, flops: number) => `${ms.toFixed(1).padStart(6)} ms ${(flops / ms / 1e6).toFixed(1).padStart(5)} GF/s`;
for (const [name, xs, fs] of shapes) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const f = tf.randomNormal(fs) as tf.Tensor4D;
  const bias = tf.randomNormal([fs[3]]);
  const dy = tf.randomNormal([xs[0], xs[1], xs[2], fs[3]]) as tf.Tensor4D;
  const flops = 2 * xs[0] * xs[1] * xs[2] * 9 * fs[2] * fs[3];
  for (const [label, level, wino] of [
    ['winograd', 'all', true],
    ['direct', 'all', false],
    ['stock', 'missing', false],
  ] as const) {
    patchWasm(level);
    setWinograd(wino);
    const fwd = best(() => tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'same', bias }));
    const dx = best(() => tf.conv2dTranspose(dy, f, xs, 1, 'same'));
    const dw = best(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor,
    );
    console.log(`${name.padEnd(10)} ${label.padEnd(9)} fwd ${fmt(fwd, flops)} | dx ${fmt(dx, flops)} | dw ${fmt(dw, flops)}`);
  }
  tf.dispose([x, f, bias, dy]);
}
