import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-setup';
import { batchNormTrain } from './batch-norm-train';

beforeAll(useCpu);

/** Reference: the textbook formulas through tfjs autodiff. */
function reference(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
}

describe('batchNormTrain (composed path, no kernel registered)', () => {
  it('matches the textbook forward and its autodiff gradient', () => {
    const x = tf.randomNormal([4, 3, 3, 5], 1, 2, 'float32', 1);
    const g = tf.randomNormal([5], 1, 0.1, 'float32', 2);
    const b = tf.randomNormal([5], 0, 0.1, 'float32', 3);
    const dy = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 4);
    const ours = batchNormTrain(x, g, b, 1e-5);
    const ref = reference(x, g, b, 1e-5);
    expect(Math.max(...tf.abs(tf.sub(ours.y, ref)).dataSync())).toBeLessThan(1e-4);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    expect(Math.max(...tf.abs(tf.sub(ours.mean, mean)).dataSync())).toBeLessThan(1e-5);
    expect(Math.max(...tf.abs(tf.sub(ours.variance, variance)).dataSync())).toBeLessThan(1e-3);
    const f = (fn: (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.Tensor) =>
      tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(fn(a, c, d), dy)))([x, g, b]);
    const gOurs = f((a, c, d) => batchNormTrain(a, c, d, 1e-5).y);
    const gRef = f((a, c, d) => reference(a, c, d, 1e-5));
    gOurs.forEach((t, i) => expect(Math.max(...tf.abs(tf.sub(t, gRef[i])).dataSync())).toBeLessThan(2e-3));
  });
});
