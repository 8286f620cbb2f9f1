import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SGD } from './optimizers/sgd';
import { useCpu } from './test-utils/toy-data';
import { trainStep } from './train-step';
import { fromLayersModel, type Trainable } from './trainable';

beforeAll(useCpu);

const features = 6;
const classes = 3;
const xs = () => tf.tidy(() => tf.randomNormal([8, features], 0, 1, 'float32', 4));
const ys = () => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 1, 0], 'int32'), classes), 'float32'));

/** Each variable once, in order (a layer used twice lists its weights twice in `model.weights`). */
const unique = (m: tfl.LayersModel) => [...new Set(m.weights.map((w) => w.read()))];
const values = (m: tfl.LayersModel) => unique(m).map((w) => Array.from(w.dataSync()));
function expectSameWeights(a: tfl.LayersModel, b: tfl.LayersModel, digits = 5) {
  const [va, vb] = [values(a), values(b)];
  expect(va.length).toBe(vb.length);
  va.forEach((w, i) => {
    w.forEach((x, j) => {
      expect(x, `weight ${i}[${j}]`).toBeCloseTo(vb[i][j], digits);
    });
  });
}

/** Two copies of one model: ours to train with trainStep, the other with tfjs-layers' own trainOnBatch. */
async function twins(build: () => tfl.LayersModel, loss: 'logits' | 'probabilities') {
  const ours = build();
  const theirs = build();
  theirs.setWeights(unique(ours));
  theirs.compile({
    optimizer: tf.train.sgd(0.1),
    loss: loss === 'logits' ? (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) : 'categoricalCrossentropy',
  });
  const [x, y] = [xs(), ys()];
  const reference = (await theirs.trainOnBatch(x, y)) as number;
  return { ours, theirs, x, y, reference };
}

describe('trainStep computes the step tfjs-layers model.fit computes', () => {
  for (const fused of [true, false]) {
    it(`adds the layers' kernel and bias regularizers to the loss (${fused ? 'fused step requested' : 'tape'})`, async () => {
      const build = () =>
        tfl.sequential({
          layers: [
            tfl.layers.dense({
              inputShape: [features],
              units: 5,
              activation: 'relu',
              kernelRegularizer: tfl.regularizers.l2({ l2: 0.5 }),
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
            }),
            tfl.layers.dense({
              units: classes,
              biasRegularizer: tfl.regularizers.l1({ l1: 0.3 }),
              biasInitializer: 'ones',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
            }),
          ],
        });
      const { ours, theirs, x, y, reference } = await twins(build, 'logits');
      const before = tf.memory().numTensors;
      const { loss } = trainStep(fromLayersModel(ours), new SGD({ lr: 0.1 }), x, y, { fused });
      expect(tf.memory().numTensors).toBe(before);
      expect(loss).toBeCloseTo(reference, 5);
      expectSameWeights(ours, theirs);
    });
  }

  it("adds the regularizers of a nested model's layers", async () => {
    const build = () => {
      const inner = tfl.sequential({
        layers: [
          tfl.layers.dense({
            inputShape: [features],
            units: 5,
            activation: 'relu',
            kernelRegularizer: tfl.regularizers.l2({ l2: 0.5 }),
            kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
          }),
        ],
      });
      return tfl.sequential({ layers: [inner, tfl.layers.dense({ units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })] });
    };
    const { ours, theirs, x, y } = await twins(build, 'logits');
    // The data loss plus the nested layer's L2 penalty, computed by hand.
    const penalty = tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(unique(ours)[0]))).dataSync()[0]);
    const dataLoss = tf.tidy(() => tf.losses.softmaxCrossEntropy(y, ours.predict(x) as tf.Tensor).dataSync()[0]);
    const { loss } = trainStep(fromLayersModel(ours), new SGD({ lr: 0.1 }), x, y);
    expect(loss).toBeCloseTo(dataLoss + penalty, 5);
    theirs.dispose();
  });

  it('trains a model ending in a Softmax layer on its probabilities', async () => {
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [features], units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
          tfl.layers.softmax(),
        ],
      });
    const { ours, theirs, x, y, reference } = await twins(build, 'probabilities');
    const { loss } = trainStep(fromLayersModel(ours), new SGD({ lr: 0.1 }), x, y);
    expect(loss).toBeCloseTo(reference, 5);
    expectSameWeights(ours, theirs);
  });

  it('trains a layer used twice in a Sequential once per step, as tfjs does', async () => {
    const build = () => {
      const shared = tfl.layers.dense({ units: features, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) });
      return tfl.sequential({
        layers: [
          tfl.layers.inputLayer({ inputShape: [features] }),
          shared,
          shared,
          tfl.layers.dense({ units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
        ],
      });
    };
    for (const fused of [true, false]) {
      const { ours, theirs, x, y, reference } = await twins(build, 'logits');
      const trainable = fromLayersModel(ours);
      expect(trainable.trainableVariables()).toHaveLength(4);
      const { loss } = trainStep(trainable, new SGD({ lr: 0.1 }), x, y, { fused });
      expect(loss).toBeCloseTo(reference, 5);
      expectSameWeights(ours, theirs);
    }
  });

  it('trains a model whose last layer applies softmax on its probabilities (Keras from_logits=False), not softmaxed twice', async () => {
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [features], units: 5, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
          tfl.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
    const { ours, theirs, x, y, reference } = await twins(build, 'probabilities');
    const trainable = fromLayersModel(ours);
    const { loss } = trainStep(trainable, new SGD({ lr: 0.1 }), x, y);
    expect(loss).toBeCloseTo(reference, 5);
    expectSameWeights(ours, theirs);
    // Its forward gives scores whose softmax is the model's own output.
    const [p, q] = tf.tidy(() => [tf.softmax(trainable.forward(x, false)), ours.predict(x) as tf.Tensor]);
    expect(Array.from(p.dataSync()).map((v) => v.toFixed(5))).toEqual(Array.from(q.dataSync()).map((v) => v.toFixed(5)));
  });
});

describe('trainStep and a custom forward', () => {
  it("uses the Trainable's own forward even when it carries a layers model (no fused step past it)", () => {
    const build = () =>
      tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [features], units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })],
      });
    const run = (fused: boolean) => {
      const model = build();
      const base = fromLayersModel(model);
      // The user's preprocessing: a scale of the inputs before the layers.
      const custom: Trainable = { ...base, forward: (x, training) => base.forward(tf.mul(x, 3), training) };
      const { loss } = trainStep(custom, new SGD({ lr: 0.1 }), xs(), ys(), { fused });
      return { loss, weights: values(model) };
    };
    const taped = run(false);
    const fused = run(true);
    expect(fused.loss).toBeCloseTo(taped.loss, 6);
    expect(fused.weights).toEqual(taped.weights);
  });

  it("uses a forward assigned onto fromLayersModel's own wrapper", () => {
    const build = () =>
      tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [features], units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })],
      });
    const run = (fused: boolean) => {
      const model = build();
      const wrapper = fromLayersModel(model);
      const inner = wrapper.forward;
      wrapper.forward = (x, training) => inner(tf.mul(x, 3), training);
      const { loss } = trainStep(wrapper, new SGD({ lr: 0.1 }), xs(), ys(), { fused });
      return { loss, weights: values(model) };
    };
    const [taped, fused] = [run(false), run(true)];
    expect(fused.loss).toBeCloseTo(taped.loss, 6);
    expect(fused.weights).toEqual(taped.weights);
  });
});

describe('trainStep and a variable the loss does not reach', () => {
  it('leaves it out of the clipped norm and the update, as torch skips grad None', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [features], units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })],
    });
    const base = fromLayersModel(model);
    const unused = tf.variable(tf.ones([2]), true, 'unused-branch');
    const custom: Trainable = { ...base, trainableVariables: () => [...base.trainableVariables(), unused] };
    const [x, y] = [xs(), ys()];
    const before = tf.memory().numTensors;
    const optimizer = new SGD({ lr: 0.1, momentum: 0.9 });
    const { loss } = trainStep(custom, optimizer, x, y, { gradientClip: { norm: 0.5, value: 1 } });
    expect(Number.isFinite(loss)).toBe(true);
    expect(Array.from(unused.dataSync())).toEqual([1, 1]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([unused, x, y]);
  });
});
