import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../model-error';
import { useCpu } from '../test-setup';
import { fusedConv2d } from './fused-conv2d';

beforeAll(useCpu);

const same = (a: tf.Tensor, b: tf.Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));

describe('fusedConv2d', () => {
  const cases = [
    { name: 'same, stride 1, bias, linear', pad: 'same' as const, strides: [1, 1] as [number, number], bias: true, activation: 'linear' as const },
    { name: 'valid, stride 2, no bias, relu', pad: 'valid' as const, strides: [2, 2] as [number, number], bias: false, activation: 'relu' as const },
    { name: 'same, stride 2, bias, relu', pad: 'same' as const, strides: [2, 2] as [number, number], bias: true, activation: 'relu' as const },
  ];
  for (const c of cases) {
    it(`computes tfjs' fused.conv2d forward and gradients, bit for bit (${c.name})`, () => {
      const x = tf.randomNormal([3, 7, 6, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 2, 5], 0, 0.5, 'float32', 2) as tf.Tensor4D;
      const b = c.bias ? (tf.randomNormal([5], 0, 0.5, 'float32', 3) as tf.Tensor1D) : null;
      const before = tf.memory().numTensors;
      const args = { strides: c.strides, pad: c.pad, activation: c.activation };
      const ours = (xx: tf.Tensor4D, ww: tf.Tensor4D, bb: tf.Tensor1D | null) => fusedConv2d(xx, ww, bb, args);
      const theirs = (xx: tf.Tensor4D, ww: tf.Tensor4D, bb: tf.Tensor1D | null) =>
        tf.fused.conv2d({ x: xx, filter: ww, strides: c.strides, pad: c.pad, bias: bb ?? undefined, activation: c.activation });
      tf.tidy(() => {
        same(ours(x, w, b), theirs(x, w, b));
        const dy = tf.randomNormal(ours(x, w, b).shape, 0, 1, 'float32', 4);
        const loss = (f: typeof ours) => (xx: tf.Tensor, ww: tf.Tensor, bb?: tf.Tensor) =>
          tf.sum(tf.mul(f(xx as tf.Tensor4D, ww as tf.Tensor4D, (bb as tf.Tensor1D) ?? null), dy));
        const inputs = b ? [x, w, b] : [x, w];
        const g1 = tf.grads(loss(ours) as (...a: tf.Tensor[]) => tf.Tensor)(inputs);
        const g2 = tf.grads(loss(theirs) as (...a: tf.Tensor[]) => tf.Tensor)(inputs);
        g1.forEach((g, i) => same(g, g2[i]));
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('computes only the gradients asked for: no input gradient for the weights alone', async () => {
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 1, 4], 0, 0.5, 'float32', 2));
    const b = tf.variable(tf.zeros([4]));
    const run = async (f: () => tf.Tensor4D) => {
      const p = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(f()));
        tf.dispose(Object.values(grads));
        return value;
      });
      return p.kernelNames;
    };
    const ours = await run(() => fusedConv2d(x, w as tf.Variable<tf.Rank.R4>, b as tf.Variable<tf.Rank.R1>, { strides: [1, 1], pad: 'same' }));
    const theirs = await run(() => tf.fused.conv2d({ x, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b }));
    expect(theirs).toContain('Conv2DBackpropInput');
    expect(ours).not.toContain('Conv2DBackpropInput');
    expect(ours).toContain('Conv2DBackpropFilter');
    tf.dispose([x, w, b]);
  });

  it('refuses a filter that does not fit the input, or a bias of the wrong size, naming both shapes', () => {
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() => fusedConv2d(x, tf.zeros([3, 3, 3, 4]) as tf.Tensor4D, null, { strides: [1, 1], pad: 'same' })).toThrow(
      'fusedConv2d: expected [n, h, w, 3] input for a [3, 3, 3, 4] filter, got [1, 4, 4, 2]',
    );
    expect(() => fusedConv2d(x, tf.zeros([3, 3, 2, 4]) as tf.Tensor4D, tf.zeros([3]) as tf.Tensor1D, { strides: [1, 1], pad: 'same' })).toThrow(
      'fusedConv2d: expected a [4] bias, got [3]',
    );
    expect(() => fusedConv2d(x, tf.zeros([3, 3, 3, 4]) as tf.Tensor4D, null, { strides: [1, 1], pad: 'same' })).toThrow(ModelError);
  });
});
