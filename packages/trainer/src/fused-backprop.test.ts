import { initBackend } from '@fmnist/backend';
import { DataLoader } from '@fmnist/data';
import { cnn, mlp } from '@fmnist/models';
import { DropoutStream, dropoutMultiplier, setDropoutStream } from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit';
import { planFusedBackprop } from './fused-backprop';
import { type LossName, lossFromLogits, lossGradFromLogits } from './losses';
import { SGD } from './optimizers/sgd';
import { trainStep } from './train-step';
import { fromLayersModel } from './trainable';
import { toyDataset } from './test-utils/toy-data';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const maxAbs = (a: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]);

function batch(n: number, features: number, classes: number, seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: tf.randomNormal([n, features], 0, 1, 'float32', seed),
    ys: tf.cast(tf.oneHot(tf.randomUniform([n], 0, classes, 'int32', seed + 1), classes), 'float32'),
  }));
}

/** Gradients of the same model on the same batch: the fused step's and the tape's, drawing dropout from two copies of one stream. */
function bothGradients(model: tfl.LayersModel, loss: LossName, labelSmoothing: number, xs: tf.Tensor, ys: tf.Tensor) {
  const trainable = fromLayersModel(model);
  const vars = trainable.trainableVariables();
  const plan = planFusedBackprop(model, xs.shape, vars, loss);
  if (!plan) throw new Error('expected a fused plan');
  setDropoutStream(model, new DropoutStream(11));
  const fused = plan.run(xs, ys, labelSmoothing);
  setDropoutStream(model, new DropoutStream(11));
  const taped = tf.variableGrads(() => lossFromLogits(loss, ys, trainable.forward(xs, true), labelSmoothing), vars);
  return { vars, fused, taped: { loss: taped.value, grads: vars.map((v) => taped.grads[v.name]) } };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`the fused training step on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend, threads: backend === 'wasm' ? 2 : undefined });
    });

    it('computes the gradients the tape computes, through batch norm, ReLU and dropout, for both losses', () => {
      const cases: [LossName, number, number][] = [
        ['categoricalCrossentropy', 0, 4],
        ['categoricalCrossentropy', 0.1, 4],
        ['binaryCrossentropy', 0, 1],
      ];
      for (const [loss, ls, classes] of cases) {
        const model = mlp({ inputs: 40, hidden: [24, 16], outputs: classes, dropout: [0.3, 0.2], batchNorm: true, seed: 3 });
        const { xs, ys } = batch(12, 40, Math.max(classes, 2), 7);
        const targets = classes === 1 ? tf.slice(ys, [0, 0], [12, 1]) : ys;
        const before = tf.memory().numTensors;
        const { vars, fused, taped } = bothGradients(model, loss, ls, xs, targets);
        expect(fused.loss.dataSync()[0]).toBeCloseTo(taped.loss.dataSync()[0], 5);
        vars.forEach((v, i) => {
          expect(fused.grads[i].shape, v.name).toEqual(v.shape);
          expect(maxAbsDiff(fused.grads[i], taped.grads[i]), `${loss} ls=${ls} ${v.name}`).toBeLessThan(1e-5 * Math.max(1, maxAbs(taped.grads[i])));
        });
        tf.dispose([fused.loss, fused.logits, ...fused.grads, taped.loss, ...taped.grads]);
        // What is left is what the two runs wrote: the moving statistics (same variables, no new tensors).
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([xs, ys, targets]);
        model.dispose();
      }
    });

    it('is what trainStep runs: no gradient for the input batch, ReLU inside the product, fewer kernels', async () => {
      const model = mlp({ inputs: 30, hidden: [20, 10], outputs: 4, seed: 1 });
      const { xs, ys } = batch(8, 30, 4, 3);
      const kernels = async (fused: boolean) => {
        const trainable = fromLayersModel(model);
        const opt = new SGD({ lr: 0.01 });
        const profile = await tf.profile(() => {
          trainStep(trainable, opt, xs, ys, { fused, accuracy: false });
        });
        return profile.kernels.map((k) => k.name);
      };
      const fused = await kernels(true);
      const taped = await kernels(false);
      const count = (names: string[], name: string) => names.filter((n) => n === name).length;
      // 3 weight gradients and 2 hidden-layer input gradients; the tape adds the input batch's.
      expect(count(fused, 'BatchMatMul')).toBe(5);
      expect(count(taped, 'BatchMatMul')).toBe(6);
      expect(count(fused, 'Relu')).toBe(0);
      expect(count(taped, 'Relu')).toBe(2);
      expect(fused.length).toBeLessThan(taped.length * 0.7);
      tf.dispose([xs, ys]);
      model.dispose();
    });

    // SGD here: a Dense bias before batch norm has a gradient of ~0 (rounding noise), which Adam
    // scales to ±lr whatever its size, so Adam's weights differ there by construction.
    it('moves the batch-norm statistics and the weights as the tape path does', () => {
      const make = () => mlp({ inputs: 20, hidden: [8], outputs: 3, batchNorm: true, seed: 5 });
      const [a, b] = [make(), make()];
      const { xs, ys } = batch(16, 20, 3, 9);
      for (const [model, fused] of [
        [a, true],
        [b, false],
      ] as const) {
        const step = trainStep(fromLayersModel(model), new SGD({ lr: 0.1, momentum: 0.9 }), xs, ys, { fused });
        expect(Number.isFinite(step.loss)).toBe(true);
      }
      a.weights.forEach((w, i) => {
        expect(maxAbsDiff(w.read(), b.weights[i].read()), w.name).toBeLessThan(1e-5);
      });
      tf.dispose([xs, ys]);
      a.dispose();
      b.dispose();
    });

    it('trains to the weights the tape path trains to, dropout included (fit, 2 epochs)', async () => {
      const data = toyDataset(128);
      const configs = [
        { batchNorm: true, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } },
        { batchNorm: false, optimizer: { name: 'adam', lr: 0.003 } },
      ] as const;
      for (const { batchNorm, optimizer } of configs) {
        const run = async (fusedStep: boolean) => {
          const model = mlp({ inputs: 64, hidden: [32, 16], outputs: 4, dropout: 0.25, batchNorm, seed: 2 });
          const history = await fit(model, new DataLoader(data, { batchSize: 32, seed: 4 }), { epochs: 2, seed: 6, fusedStep, optimizer });
          return { model, losses: history.epochs.map((e) => e.loss) };
        };
        const fused = await run(true);
        const taped = await run(false);
        fused.losses.forEach((l, i) => expect(l).toBeCloseTo(taped.losses[i], 4));
        fused.model.weights.forEach((w, i) => {
          expect(maxAbsDiff(w.read(), taped.model.weights[i].read()), `${optimizer.name} ${w.name}`).toBeLessThan(1e-4);
        });
        fused.model.dispose();
        taped.model.dispose();
      }
    });
  });
}

describe('what the fused step covers', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('declines models the tape must train: convolutions, frozen layers, other activations, functional graphs', () => {
    const vars = (m: tfl.LayersModel) => fromLayersModel(m).trainableVariables();
    const conv = cnn({ inputShape: [8, 8, 1], classes: 4, filters: [4, 8], dense: [8], seed: 1 });
    expect(planFusedBackprop(conv, [2, 8, 8, 1], vars(conv), 'categoricalCrossentropy')).toBeUndefined();
    const tanh = mlp({ inputs: 8, hidden: [4], outputs: 2, activation: 'tanh' });
    expect(planFusedBackprop(tanh, [2, 8], vars(tanh), 'categoricalCrossentropy')).toBeUndefined();
    const frozen = mlp({ inputs: 8, hidden: [4], outputs: 2 });
    frozen.layers[0].trainable = false;
    expect(planFusedBackprop(frozen, [2, 8], vars(frozen), 'categoricalCrossentropy')).toBeUndefined();
    const input = tfl.input({ shape: [8] });
    const functional = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor });
    expect(planFusedBackprop(functional, [2, 8], vars(functional), 'categoricalCrossentropy')).toBeUndefined();
    const plain = mlp({ inputs: 8, hidden: [4], outputs: 2, dropout: 0.5 });
    expect(planFusedBackprop(plain, [2, 8], vars(plain), 'categoricalCrossentropy')).toBeDefined();
    // Variables that are not exactly the model's trainable weights.
    expect(planFusedBackprop(plain, [2, 8], vars(plain).slice(1), 'categoricalCrossentropy')).toBeUndefined();
    for (const m of [conv, tanh, frozen, functional, plain]) m.dispose();
  });

  it('draws the dropout multiplier tfjs draws for the same seed', () => {
    const x = tf.ones([6, 50]);
    for (const [rate, seed] of [
      [0.3, 17],
      [0.5, 123456],
    ]) {
      const ours = dropoutMultiplier([6, 50], rate, seed);
      const theirs = tf.dropout(x, rate, undefined, seed);
      expect(maxAbsDiff(ours, theirs)).toBe(0);
      tf.dispose([ours, theirs]);
    }
    x.dispose();
  });

  it('starts the backward pass from the loss gradient autodiff gives', () => {
    const logits = tf.randomNormal([5, 3], 0, 2, 'float32', 3);
    const targets = tf.cast(tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], 'int32'), 3), 'float32');
    for (const [loss, ls] of [
      ['categoricalCrossentropy', 0],
      ['categoricalCrossentropy', 0.2],
      ['binaryCrossentropy', 0.1],
    ] as const) {
      const y = loss === 'binaryCrossentropy' ? tf.slice(targets, [0, 0], [5, 1]) : targets;
      const z = loss === 'binaryCrossentropy' ? tf.slice(logits, [0, 0], [5, 1]) : logits;
      const auto = tf.grad((l: tf.Tensor) => lossFromLogits(loss, y, l, ls))(z);
      const closed = lossGradFromLogits(loss, y, z, ls);
      expect(maxAbsDiff(auto, closed), `${loss} ${ls}`).toBeLessThan(1e-6);
      tf.dispose([auto, closed, ...(loss === 'binaryCrossentropy' ? [y, z] : [])]);
    }
    tf.dispose([logits, targets]);
  });
});
