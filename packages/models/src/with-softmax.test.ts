import { candidateDirs, type ImageDataset, loadFashionMnist, locateSplit } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { getModelMetadata } from './model-metadata';
import { predict } from './predict';
import { createModel } from './registry';
import { useCpu } from './test-setup';
import { withSoftmax } from './with-softmax';

beforeAll(useCpu);

const hasData = locateSplit('test', candidateDirs()) !== undefined;

/** Images `start` to `start + n` of a split as [n, 784] pixels in [0, 1] and one-hot labels. */
function tensors(ds: ImageDataset, start: number, n: number): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const x = tf.div(tf.tensor(ds.images.subarray(start * 784, (start + n) * 784), [n, 784], 'float32'), 255);
    return [x, tf.oneHot(tf.tensor1d(ds.labels.subarray(start, start + n), 'int32'), 10)];
  });
}

describe('withSoftmax', () => {
  it.runIf(hasData || process.env.CI)(
    "lets tfjs' own fit learn a zoo model with 'categoricalCrossentropy' on real data",
    async () => {
      // Fitted on 3000 test-split images, scored on 1000 others (the test split alone loads quickly).
      const data = await loadFashionMnist({ split: 'test', download: false });
      const logits = createModel('mlp-small', { seed: 3 });
      const probs = withSoftmax(logits);
      probs.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const [x, y] = tensors(data, 0, 3000);
      const [tx, ty] = tensors(data, 5000, 1000);
      await probs.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
      const before = tf.memory().numTensors;
      const [loss, accuracy] = (probs.evaluate(tx, ty, { batchSize: 500 }) as tf.Scalar[]).map((t) => {
        const v = t.dataSync()[0];
        t.dispose();
        return v;
      });
      expect(accuracy).toBeGreaterThan(0.5); // chance is 0.1; 0.63 here
      expect(loss).toBeLessThan(1.5); // ln 10 = 2.30 at chance
      // The original (logits) model learnt too: its weights are the same variables.
      const ours = await predict(logits, tx.dataSync() as Float32Array);
      const labels = Array.from(tf.tidy(() => tf.argMax(ty, -1).dataSync()));
      expect(Math.abs(ours.indices.filter((c, i) => c === labels[i]).length / labels.length - accuracy)).toBeLessThan(1.5e-3); // a near tie may round apart
      expect(tf.memory().numTensors).toBe(before);
      // Why: the logits model under tfjs' 'categoricalCrossentropy' gets another loss than the cross-entropy of its softmax, and no error.
      logits.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const wrong = logits.evaluate(tx, ty, { batchSize: 500 }) as tf.Scalar;
      expect(Math.abs(wrong.dataSync()[0] - loss)).toBeGreaterThan(1);
      wrong.dispose();
      tf.dispose([x, y, tx, ty]);
      logits.dispose();
    },
    60_000,
  );

  it('shares the weights both ways, ends in a softmax of the logits, keeps the metadata', () => {
    const logits = createModel('cnn', { seed: 1 });
    const probs = withSoftmax(logits);
    expect(probs.countParams()).toBe(logits.countParams());
    expect(getModelMetadata(probs)).toEqual(getModelMetadata(logits));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5);
    const same = () => tf.tidy(() => tf.max(tf.abs(tf.sub(tf.softmax(logits.predict(x) as tf.Tensor), probs.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(same()).toBeLessThan(1e-6);
    // A change in one model's weights shows in the other's.
    const last = logits.getLayer('logits');
    const [kernel, bias] = last.getWeights();
    last.setWeights([kernel, tf.add(bias, 1.5)]);
    expect(probs.getLayer('logits').getWeights()[1].dataSync()).toEqual(last.getWeights()[1].dataSync());
    const firstWeights = probs.layers.find((l) => l.getWeights().length > 0) as tfl.layers.Layer;
    firstWeights.setWeights(firstWeights.getWeights().map((w) => tf.mul(w, 0.5)));
    expect(logits.getLayer(firstWeights.name).getWeights()[0].dataSync()).toEqual(firstWeights.getWeights()[0].dataSync());
    expect(same()).toBeLessThan(1e-6);
    x.dispose();
    logits.dispose();
  });

  it('refuses a model that already ends in a softmax, in one line', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })], name: 'probs' });
    expect(() => withSoftmax(model)).toThrow(/^model: probs already ends in a softmax: compile and fit it as it is$/);
    model.dispose();
  });
});
