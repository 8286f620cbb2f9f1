import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm } from '../patch-wasm';
import { maxDiff, sizes } from './test-utils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasm('all');
});
afterAll(() => {
  patchWasm('none');
});

/** dL/dx and dL/dW of sum(conv2d(x, W) * dy) on the current backend. */
function grads(xShape: number[], fShape: number[], stride: number, pad: 'same' | 'valid') {
  return tf.tidy(() => {
    const x = tf.randomNormal(xShape as [number, number, number, number], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal(fShape as [number, number, number, number], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal(tf.conv2d(x, f, stride, pad).shape, 0, 1, 'float32', 3);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)))([x, f]);
    return [Array.from(dx.dataSync()), Array.from(df.dataSync())];
  });
}

describe('patched wasm convolution gradients agree with the cpu backend', () => {
  const cases: [number[], number[], number, 'same' | 'valid'][] = [];
  // Random shapes, strides and paddings, fixed by a seed.
  const rnd = sizes(7);
  for (let i = 0; i < 12; i++) {
    const k = rnd(3) + (i % 2);
    cases.push([[rnd(3), k + rnd(9), k + rnd(9), rnd(4)], [k, k, 0, rnd(5)], 1 + (i % 3 === 2 ? 1 : 0), i % 2 ? 'same' : 'valid']);
    cases[i][1][2] = cases[i][0][3];
  }
  it.each(cases)('x %j, filter %j, stride %d, %s', async (xShape, fShape, stride, pad) => {
    const [dxWasm, dfWasm] = grads(xShape, fShape, stride, pad);
    await tf.setBackend('cpu');
    const [dxCpu, dfCpu] = grads(xShape, fShape, stride, pad);
    await tf.setBackend('wasm');
    expect(maxDiff(dxWasm, dxCpu)).toBeLessThan(1e-3);
    expect(maxDiff(dfWasm, dfCpu)).toBeLessThan(1e-3);
  });

  it('leaks no tensors or wasm memory across steps', () => {
    grads([2, 8, 8, 3], [3, 3, 3, 4], 1, 'same');
    const before = tf.memory();
    for (let i = 0; i < 5; i++) grads([2, 8, 8, 3], [3, 3, 3, 4], 1, 'same');
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
