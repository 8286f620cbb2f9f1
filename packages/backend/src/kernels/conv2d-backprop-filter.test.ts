import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';

function randn(shape: number[], seed: number) {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

beforeAll(async () => {
  tf.registerKernel(conv2DBackpropFilterConfig);
  await tf.setBackend('wasm');
});

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: [number[], number[], number, 'same' | 'valid'][] = [
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    [[3, 9, 7, 2], [3, 3, 2, 5], 2, 'same'],
    [[1, 10, 10, 4], [5, 5, 4, 2], 1, 'valid'],
    [[2, 11, 11, 3], [3, 2, 3, 3], 2, 'valid'],
    [[4, 28, 28, 1], [3, 3, 1, 8], 1, 'same'],
  ];
  it.each(cases)('matches the cpu backend for x %j, filter %j, stride %d, %s', async (xShape, fShape, stride, pad) => {
    const compute = () =>
      tf.tidy(() => {
        const x = randn(xShape, 1);
        const f = randn(fShape, 2);
        const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);
        const dy = randn(y.shape, 3);
        return tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, stride, pad), dy)))(f);
      });
    const wasm = compute();
    await tf.setBackend('cpu');
    const cpu = compute();
    const diff = tf.max(tf.abs(tf.sub(tf.tensor(await wasm.data(), wasm.shape), cpu))).dataSync()[0];
    await tf.setBackend('wasm');
    expect(wasm.shape).toEqual(fShape);
    expect(diff).toBeLessThan(1e-3);
  });
});
