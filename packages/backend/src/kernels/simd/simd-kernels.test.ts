import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { batchNormTrain } from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm, prepareWasmKernels } from '../../patch-wasm';
import { sizes } from '../test-utils';

// The SIMD paths (assembly/) against the cpu backend, on shapes that take them: channels that are
// multiples of 4, K beyond one K block (256), M beyond one row block (64), odd edges.

beforeAll(async () => {
  await tf.setBackend('wasm');
  expect(await prepareWasmKernels()).toBe(true);
});
afterAll(() => {
  patchWasm('none');
});

async function cpuVsOurs(fn: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const read = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);
  await tf.setBackend('cpu');
  const reference = tf.tidy(() => read(fn()));
  await tf.setBackend('wasm');
  patchWasm('all');
  const before = tf.memory().numTensors;
  const ours = tf.tidy(() => read(fn()));
  expect(tf.memory().numTensors).toBe(before);
  return [reference, ours];
}

/** Largest difference relative to the reference's scale (sums of hundreds of terms differ in order). */
const relDiff = (a: Float32Array, b: Float32Array) => {
  const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / scale;
};

const rnd = sizes(5);

describe('SIMD GEMM', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i))('matMul with transposes and batches, random case %i', async (i) => {
    const [m, k, n] = i < 4 ? [rnd(150), rnd(600), rnd(40)] : [rnd(20), rnd(40), rnd(70)];
    const ta = i % 2 === 1;
    const tb = i % 4 >= 2;
    const batch = i >= 8 ? [3] : [];
    const [ref, ours] = await cpuVsOurs(() => {
      const a = tf.randomNormal([...batch, ...(ta ? [k, m] : [m, k])], 0, 1, 'float32', i + 1);
      // A batch against a single B exercises broadcasting.
      const b = tf.randomNormal([...(i === 9 ? [] : batch), ...(tb ? [n, k] : [k, n])], 0, 1, 'float32', i + 100);
      return [tf.matMul(a, b, ta, tb)];
    });
    expect(ours[0].length).toBe(ref[0].length);
    expect(relDiff(ref[0], ours[0])).toBeLessThan(1e-5);
  });

  it.each(['linear', 'relu'] as const)('fused matMul + bias + %s (Dense layers)', async (activation) => {
    const [ref, ours] = await cpuVsOurs(() => {
      const a = tf.randomNormal([67, 300], 0, 1, 'float32', 1);
      const b = tf.randomNormal([300, 29], 0, 1, 'float32', 2);
      const bias = tf.randomNormal([29], 0, 1, 'float32', 3);
      return [tf.fused.matMul({ a, b, bias, activation }), tf.fused.matMul({ a, b, activation })];
    });
    ref.forEach((r, i) => expect(relDiff(r, ours[i])).toBeLessThan(1e-5));
  });

  // Enumerated edges through tf.matMul (our BatchMatMul: Aᵀ read in place, Bᵀ by transpose2d first):
  // each of m, k, n over the tiles' edges with the others small, every transpose.
  const EDGES = [1, 3, 4, 7, 8, 9, 256, 257];
  const edgeShapes = [...EDGES.map((m) => [m, 9, 7]), ...EDGES.map((k) => [5, k, 9]), ...EDGES.map((n) => [7, 3, n])];
  it.each(edgeShapes)('matMul m %i, k %i, n %i with every transpose', async (m, k, n) => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const [ref, ours] = await cpuVsOurs(() => {
        const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', m + k);
        const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', k + n);
        return [tf.matMul(a, b, ta, tb)];
      });
      expect(relDiff(ref[0], ours[0]), `transposeA ${ta}, transposeB ${tb}`).toBeLessThan(1e-5);
    }
  });

  it('K = 0 gives the bias', async () => {
    const [ref, ours] = await cpuVsOurs(() => [tf.fused.matMul({ a: tf.zeros([3, 0]), b: tf.zeros([0, 5]), bias: tf.range(0, 5) })]);
    expect(Array.from(ours[0])).toEqual(Array.from(ref[0]));
  });
});

describe('SIMD stride-1 convolutions (implicit GEMM)', () => {
  const cases: [number[], number[], 'same' | 'valid' | number][] = [
    [[2, 14, 14, 32], [3, 3, 32, 16], 'same'],
    [[3, 9, 7, 8], [3, 3, 8, 12], 'valid'],
    [[1, 10, 11, 9], [5, 3, 9, 8], 'same'],
    [[2, 6, 6, 8], [2, 2, 8, 4], 1],
    [[2, 28, 28, 1], [3, 3, 1, 32], 'same'],
  ];
  it.each(cases)('forward (bias, ReLU), input and filter gradients for x %j, filter %j, pad %j', async (xShape, fShape, pad) => {
    const [ref, ours] = await cpuVsOurs(() => {
      const x = tf.randomNormal(xShape as [number, number, number, number], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal(fShape as [number, number, number, number], 0, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.randomNormal([fShape[3]], 0, 1, 'float32', 3);
      const conv = (a: tf.Tensor, w: tf.Tensor) =>
        tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad, bias, activation: 'relu' });
      const dy = tf.randomNormal(conv(x, f).shape, 0, 1, 'float32', 4);
      const [dx, df] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, pad), dy)))([x, f]);
      return [conv(x, f), tf.conv2d(x, f, 1, pad), dx, df];
    });
    ref.forEach((r, i) => expect(relDiff(r, ours[i])).toBeLessThan(1e-5));
  });
});

describe('SIMD memory-bound kernels', () => {
  it.each([4, 8, 32])('batch-norm training forward and backward, %i channels', async (c) => {
    const [ref, ours] = await cpuVsOurs(() => {
      const x = tf.randomNormal([9, 7, 5, c], 3, 2, 'float32', 7);
      const g = tf.randomNormal([c], 1, 0.2, 'float32', 8);
      const b = tf.randomNormal([c], 0, 0.2, 'float32', 9);
      const dy = tf.randomNormal([9, 7, 5, c], 0, 1, 'float32', 10);
      const out = batchNormTrain(x, g, b, 1e-5);
      const grads = tf.grads((a: tf.Tensor, s: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a, s, d, 1e-5).y, dy)))([x, g, b]);
      return [out.y, out.mean, out.variance, ...grads];
    });
    ref.forEach((r, i) => expect(relDiff(r, ours[i])).toBeLessThan(1e-4));
  });

  it.each([true, false])('batch-norm inference with moving statistics (offset and scale given: %s)', async (affine) => {
    const [ref, ours] = await cpuVsOurs(() => {
      const x = tf.randomNormal([5, 6, 7, 12], 1, 2, 'float32', 1);
      const mean = tf.randomNormal([12], 1, 1, 'float32', 2);
      const variance = tf.abs(tf.randomNormal([12], 2, 1, 'float32', 3));
      return [
        affine
          ? tf.batchNorm(x, mean, variance, tf.randomNormal([12], 0, 1, 'float32', 4), tf.randomNormal([12], 1, 0.3, 'float32', 5), 1e-3)
          : tf.batchNorm(x, mean, variance),
      ];
    });
    expect(relDiff(ref[0], ours[0])).toBeLessThan(1e-5);
  });

  it.each([
    [2, 'valid', [2, 8, 8, 8]],
    [2, 'valid', [3, 9, 7, 4]],
    [3, 'valid', [2, 10, 9, 12]],
  ] as const)('max-pool gradient, %i x %i windows %s on %j', async (f, pad, shape) => {
    const [ref, ours] = await cpuVsOurs(() => {
      // Rounded values make ties, where the first maximum must take the gradient.
      const x = tf.round(tf.randomNormal([...shape], 0, 2, 'float32', f));
      const pooled = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, f, f, pad);
      const w = tf.randomNormal(pooled(x).shape, 0, 1, 'float32', 5);
      return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pooled(t), w)))(x)];
    });
    expect(relDiff(ref[0], ours[0])).toBe(0);
  });

  it.each([
    [[0], [300, 8]],
    [
      [0, 1, 2],
      [4, 9, 9, 16],
    ],
  ] as const)('Sum over axes %j of %j', async (axes, shape) => {
    const [ref, ours] = await cpuVsOurs(() => [tf.sum(tf.randomNormal([...shape], 2, 1, 'float32', 3), [...axes])]);
    expect(relDiff(ref[0], ours[0])).toBeLessThan(1e-6);
  });
});

// The compiler's output does not depend on the Node version: checked once, not on every Node leg.
it.skipIf(process.env.FMNIST_NODE_LEG)(
  'the committed module and the generated call interface (assembly/kernel-abi.ts, kernel-abi.ts) are what the sources give',
  () => {
    const script = fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  },
  // Four compilations: ~25 s alone, more beside the other test files on 2 cores.
  150_000,
);
