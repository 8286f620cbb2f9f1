import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { batchNormTrain } from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm } from '../patch-wasm';
import { maxDiff, sizes } from './test-utils';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => {
  patchWasm('none');
});

const read = (ts: tf.Tensor[]) =>
  ts.map((t) => {
    const d = t.dataSync() as Float32Array;
    t.dispose();
    return d;
  });

/**
 * Runs fn on the cpu backend (the reference: plain JS, and without our kernels the ops take their
 * composed paths) and on patched wasm. Stock wasm is no reference: its MaxPoolGrad is wrong when
 * the input size is not a multiple of the stride (9x7 pooled 2x2 gives other gradients than cpu).
 */
async function stockVsPatched(fn: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  await tf.setBackend('cpu');
  const reference = read(tf.tidy(fn));
  await tf.setBackend('wasm');
  patchWasm('all');
  return [reference, read(tf.tidy(fn))];
}

const rnd = sizes(11);

describe('patched wasm kernels agree with the cpu backend', () => {
  it.each(Array.from({ length: 8 }, (_, i) => i))('BatchMatMul with transposes, random case %i', async (i) => {
    const [m, k, n] = [rnd(70), rnd(90), rnd(50)];
    const ta = i % 2 === 1;
    const tb = i % 4 >= 2;
    const [stock, ours] = await stockVsPatched(() => {
      const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', i + 1);
      const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', i + 100);
      return [tf.matMul(a, b, ta, tb)];
    });
    expect(maxDiff(stock[0], ours[0])).toBeLessThan(1e-3);
  });

  // K over one 256-deep block (B's panels are packed per block), batches, odd sizes for the
  // transpose of B (4x4 blocks and their edges) and broadcast batch dims.
  it.each([
    [3, 37, 300, 29, false, true, 3],
    [2, 9, 517, 70, true, true, 2],
    [1, 64, 520, 512, false, true, 1],
    [4, 5, 3, 6, true, false, 1],
    [2, 33, 257, 17, false, false, 2],
  ] as const)('BatchMatMul batch %i, %ix%ix%i, transposeA %s transposeB %s, B batch %i', async (batch, m, k, n, ta, tb, batchB) => {
    const [stock, ours] = await stockVsPatched(() => {
      const a = tf.randomNormal(ta ? [batch, k, m] : [batch, m, k], 0, 1, 'float32', m + k);
      const b = tf.randomNormal(tb ? [batchB, n, k] : [batchB, k, n], 0, 1, 'float32', n + k);
      return [tf.matMul(a, b, ta, tb)];
    });
    expect(maxDiff(stock[0], ours[0])).toBeLessThan(1e-3);
  });

  it.each([
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [2, 1, 'same'],
    [3, 3, 'valid'],
  ] as const)('MaxPool gradient, filter %i stride %i %s', async (f, s, pad) => {
    const [stock, ours] = await stockVsPatched(() => {
      const x = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', f * 10 + s);
      return [
        tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, f, s, pad), tf.randomNormal(tf.maxPool(t as tf.Tensor4D, f, s, pad).shape, 0, 1, 'float32', 5))),
        )(x),
      ];
    });
    expect(maxDiff(stock[0], ours[0])).toBeLessThan(1e-5);
  });

  it.each([
    [[0], [5, 7]],
    [
      [0, 1, 2],
      [2, 4, 4, 6],
    ],
    [[1], [3, 4]],
    [
      [0, 1],
      [3, 4, 5],
    ],
  ] as const)('Sum over axes %j of %j', async (axes, shape) => {
    const [stock, ours] = await stockVsPatched(() => [
      tf.sum(tf.randomNormal([...shape], 0, 1, 'float32', 3), [...axes]),
      tf.sum(tf.randomNormal([...shape], 0, 1, 'float32', 4), [...axes], true),
    ]);
    expect(maxDiff(stock[0], ours[0])).toBeLessThan(1e-4);
    expect(maxDiff(stock[1], ours[1])).toBeLessThan(1e-4);
  });

  it('fused batch-norm training kernels match the composed op, forward and backward', async () => {
    const [stock, ours] = await stockVsPatched(() => {
      const x = tf.randomNormal([8, 5, 5, 6], 0.5, 2, 'float32', 7);
      const g = tf.randomNormal([6], 1, 0.2, 'float32', 8);
      const b = tf.randomNormal([6], 0, 0.2, 'float32', 9);
      const dy = tf.randomNormal([8, 5, 5, 6], 0, 1, 'float32', 10);
      const out = batchNormTrain(x, g, b, 1e-5);
      const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a, c, d, 1e-5).y, dy)))([x, g, b]);
      return [out.y, out.mean, out.variance, ...grads];
    });
    stock.forEach((s, i) => expect(maxDiff(s, ours[i])).toBeLessThan(2e-3));
  });

  it('fused Adam update matches torch.optim.Adam / AdamW formulas', async () => {
    for (const [weightDecay, decoupled] of [
      [0, false],
      [0.01, false],
      [0.01, true],
    ] as const) {
      const w = tf.randomNormal([50], 0, 1, 'float32', 1);
      const g = tf.randomNormal([50], 0, 1, 'float32', 2);
      const m = tf.randomNormal([50], 0, 0.1, 'float32', 3);
      const v = tf.abs(tf.randomNormal([50], 0, 0.1, 'float32', 4));
      const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, weightDecay, decoupled };
      patchWasm('all');
      const ours = tf.engine().runKernel('FmnistAdamUpdate', { w, g, m, v }, attrs) as tf.Tensor[];
      const expected = tf.tidy(() => {
        const grad = decoupled ? g : tf.add(g, tf.mul(w, weightDecay));
        const m2 = tf.add(tf.mul(m, 0.9), tf.mul(grad, 0.1));
        const v2 = tf.add(tf.mul(v, 0.999), tf.mul(tf.square(grad), 0.001));
        const denom = tf.add(tf.div(tf.sqrt(v2), Math.sqrt(1 - 0.999 ** 3)), 1e-8);
        const base = decoupled ? tf.mul(w, 1 - 0.01 * weightDecay) : w;
        return [tf.sub(base, tf.mul(tf.div(m2, denom), 0.01 / (1 - 0.9 ** 3))), m2, v2];
      });
      ours.forEach((t, i) => expect(maxDiff(t.dataSync() as Float32Array, expected[i].dataSync() as Float32Array)).toBeLessThan(1e-6));
      tf.dispose([w, g, m, v, ...ours, ...expected]);
    }
  });

  it('leaks nothing', () => {
    patchWasm('all');
    const step = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([4, 6, 6, 3]);
        const [dx] = tf.grads((a: tf.Tensor) => tf.sum(batchNormTrain(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), tf.ones([3]), tf.zeros([3]), 1e-5).y))([x]);
        return tf.sum(tf.matMul(tf.reshape(dx, [4, 108]), tf.ones([4, 108]), true, false)).dataSync()[0];
      });
    step();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
