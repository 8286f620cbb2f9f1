import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-utils/toy-data';
import { Adam, AdamW } from './adam';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

beforeAll(useCpu);

/** Runs `steps` updates of f(w) = sum(w * c) + 0.5 * sum(w^2) and returns w. */
function run(opt: { apply(v: tf.Variable[], g: tf.Tensor[]): void }, steps: number, w0 = [1, -2, 3]): number[] {
  const w = tf.variable(tf.tensor1d(w0));
  const c = tf.tensor1d([0.5, -1, 2].slice(0, w0.length));
  for (let i = 0; i < steps; i++) {
    const g = tf.add(c, w); // gradient of the objective
    opt.apply([w], [g]);
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  return out;
}

describe('optimizers follow PyTorch formulas', () => {
  it('SGD with momentum and Nesterov (hand-computed)', () => {
    // One-dimensional, w0 = 1, c = 0.5, lr = 0.1, momentum 0.9:
    // g0 = 1.5, buf = 1.5, w1 = 0.85; g1 = 1.35, buf = 0.9*1.5 + 1.35 = 2.7, w2 = 0.58
    expect(run(new SGD({ lr: 0.1, momentum: 0.9 }), 2, [1])[0]).toBeCloseTo(0.58, 6);
    // Nesterov: step uses g + momentum * buf: w1 = 1 - 0.1*(1.5 + 0.9*1.5) = 0.715
    expect(run(new SGD({ lr: 0.1, momentum: 0.9, nesterov: true }), 1, [1])[0]).toBeCloseTo(0.715, 6);
    // Weight decay adds wd * w to the gradient: g = 1.5 + 0.1 = 1.6
    expect(run(new SGD({ lr: 0.1, weightDecay: 0.1 }), 1, [1])[0]).toBeCloseTo(0.84, 6);
  });

  it('Adam: the first step moves each weight by lr against the gradient sign', () => {
    const w = run(new Adam({ lr: 0.01 }), 1);
    expect(w[0]).toBeCloseTo(1 - 0.01, 5);
    expect(w[1]).toBeCloseTo(-2 + 0.01, 5);
  });

  it('Adam agrees with tfjs-core AdamOptimizer over many steps', () => {
    const ours = run(new Adam({ lr: 0.05 }), 30);
    const theirs = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    const reference = run({ apply: (v, g) => theirs.applyGradients([{ name: v[0].name, tensor: g[0] }]) }, 30);
    ours.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 4));
  });

  it('AdamW decays weights decoupled from the gradient', () => {
    // With zero gradient moments... compare against Adam + explicit decay: w1 = w0 * (1 - lr*wd) - lr * sign(g)
    const w = run(new AdamW({ lr: 0.01, weightDecay: 0.1 }), 1, [1]);
    expect(w[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
  });

  it('RMSprop matches its formula', () => {
    // g = 1.5; sq = 0.01 * 2.25 = 0.0225; step = 1.5 / (0.15 + 1e-8) = 10; w = 1 - 0.01 * 10 = 0.9
    expect(run(new RMSprop({ lr: 0.01 }), 1, [1])[0]).toBeCloseTo(0.9, 5);
  });

  it('saves and restores its state so the next step is identical', async () => {
    const a = new Adam({ lr: 0.05 });
    const w = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([0.3, -0.1]);
    a.apply([w], [g]);
    const state = await a.getState([w]);
    const b = new Adam({ lr: 0.05 });
    const w2 = tf.variable(tf.clone(w));
    b.setState(state, [w2]);
    a.apply([w], [g]);
    b.apply([w2], [g]);
    expect(w2.dataSync()).toEqual(w.dataSync());
  });

  it('leaks no tensors per step', () => {
    const opt = new Adam({ weightDecay: 0.1 });
    const w = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([0.3, -0.1]);
    opt.apply([w], [g]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.apply([w], [g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
