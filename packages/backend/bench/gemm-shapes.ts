// Ad-hoc: our SIMD GEMM on the MLPs' shapes (min of repeated runs, one kernel thread unless T is
// set), in GFLOP/s per thread and as a fraction of the relaxed-SIMD FMA peak (PEAK=GFLOP/s from
// `node bench/simd-peak.mjs` on the same machine; without PEAK the fractions are omitted).
// PEAK=51.4 node --conditions=@fmnist/source --import tsx bench/gemm-shapes.ts
import * as tf from '@tensorflow/tfjs-core';
import { bestMs } from './best-ms';
import { initBackend } from '../src/index';

const threads = Number(process.env.T ?? 1);
await initBackend({ backend: 'wasm', threads });
const peak = process.env.PEAK ? Number(process.env.PEAK) : undefined;
const best = (f: () => tf.Tensor) => bestMs(f, 20);
// [label, M, K, N, transposeA, transposeB]: inference at batch 1024 and a training step at batch 64.
const shapes: [string, number, number, number, boolean, boolean][] = [
  ['mlp-small L1 infer b1024', 1024, 784, 128, false, false],
  ['mlp-small L2 infer b1024', 1024, 128, 64, false, false],
  ['mlp-wide L1 infer b1024', 1024, 784, 512, false, false],
  ['mlp-wide L2 infer b1024', 1024, 512, 512, false, false],
  ['mlp-wide L1 fwd b64', 64, 784, 512, false, false],
  ['mlp-wide L2 fwd b64', 64, 512, 512, false, false],
  ['mlp-wide L2 dX b64 (dY·Wᵀ)', 64, 512, 512, false, true],
  ['mlp-wide L2 dW b64 (Xᵀ·dY)', 512, 64, 512, true, false],
  ['mlp-wide L1 dW b64 (Xᵀ·dY)', 784, 64, 512, true, false],
];
for (const [label, m, k, n, ta, tb] of shapes) {
  const a = tf.randomNormal(ta ? [k, m] : [m, k]);
  const b = tf.randomNormal(tb ? [n, k] : [k, n]);
  const ms = best(() => tf.matMul(a, b, ta, tb));
  const gf = (2 * m * k * n) / ms / 1e6 / threads;
  const frac = peak ? ` ${((100 * gf) / peak).toFixed(0).padStart(3)}% of the FMA peak` : '';
  console.log(`${label.padEnd(30)} ${ms.toFixed(3).padStart(8)} ms ${gf.toFixed(1).padStart(6)} GFLOP/s per thread${frac}`);
  tf.dispose([a, b]);
}
