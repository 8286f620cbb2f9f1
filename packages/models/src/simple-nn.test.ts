import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimpleNN } from './simple-nn';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('SimpleNN', () => {
  it('hand-written gradients equal autodiff', () => {
    const net = new SimpleNN({ inputs: 20, seed: 2 });
    const x = tf.randomUniform([16, 20], 0, 1, 'float32', 5);
    const y = tf.cast(tf.greater(tf.randomUniform([16], 0, 1, 'float32', 6), 0.5), 'float32');
    const { dW, db } = net.gradients(x, y);
    const auto = tf.variableGrads(() => net.loss(x, y), [net.W, net.b]);
    expect(Math.max(...tf.abs(tf.sub(dW, auto.grads[net.W.name])).dataSync())).toBeLessThan(1e-6);
    expect(Math.max(...tf.abs(tf.sub(db, auto.grads[net.b.name])).dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, y, dW, db, auto.value, ...Object.values(auto.grads)]);
    net.dispose();
  });

  it('learns a separable binary task with hand-written SGD and leaks nothing', () => {
    const net = new SimpleNN({ inputs: 2 });
    const x = tf.tensor2d([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0.1, 0.2],
      [0.9, 0.8],
    ]);
    const y = tf.tensor1d([0, 0, 0, 1, 0, 1]);
    const before = tf.memory().numTensors;
    const first = net.trainStep(x, y, 1);
    let last = first;
    for (let i = 0; i < 300; i++) last = net.trainStep(x, y, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first / 3);
    expect(Array.from(net.predict(x).dataSync())).toEqual([0, 0, 0, 1, 0, 1]);
    expect(net.countParams()).toBe(3);
    expect(() => net.forward(tf.zeros([1, 3]))).toThrow(/SimpleNN input: expected shape \[n, 2\], got \[1, 3\]/);
  });

  it('lets several instances live side by side (a study, a comparison) and leaks nothing when built and disposed', () => {
    const before = tf.memory().numTensors;
    const a = new SimpleNN({ inputs: 4, seed: 1 });
    const b = new SimpleNN({ inputs: 4, seed: 2 });
    expect(a.W.name).not.toBe(b.W.name);
    expect(Array.from(a.W.dataSync())).not.toEqual(Array.from(b.W.dataSync()));
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses targets of another shape than the probabilities, as torch.nn.BCELoss does (no silent broadcast)', () => {
    const p = tf.tensor1d([0.9, 0.2]);
    const y = tf.tensor2d([[1], [0]]);
    expect(() => SimpleNN.bceLoss(p, y)).toThrow('bceLoss y: expected the shape of p, [2], got [2, 1]');
    tf.dispose([p, y]);
  });

  it('computes BCE like torch.nn.BCELoss', () => {
    const loss = SimpleNN.bceLoss(tf.tensor1d([0.9, 0.2]), tf.tensor1d([1, 0]));
    expect(loss.dataSync()[0]).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 6);
  });
});
