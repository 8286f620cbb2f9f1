import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelInput, setModelMetadata } from './model-metadata';
import { mlp } from './mlp';
import { predict } from './predict';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const standard: ModelInput = { layout: 'flat', height: 4, width: 4, channels: 1, normalize: { mean: 0.3, std: 0.2 } };
const count = 7;
const bytes = Uint8Array.from({ length: count * 16 }, (_, i) => (i * 37) % 256);
const dataset = { images: bytes, labels: new Uint8Array(count), count, height: 4, width: 4, channels: 1, classNames: ['a', 'b', 'c'] };
const pixels = Float32Array.from(bytes, (v) => v * (1 / 255));

/** softmax(model(x)) with x prepared by hand as `input` says. */
function byHand(model: tfl.LayersModel, input: ModelInput): number[][] {
  return tf.tidy(() => {
    let x = tf.tensor2d(pixels, [count, 16]);
    if (input.normalize !== 'unit') x = tf.mul(tf.sub(x, input.normalize.mean), 1 / input.normalize.std);
    return tf.softmax(model.predict(x) as tf.Tensor).arraySync() as number[][];
  });
}

describe('predict', () => {
  it('prepares images as the model carries its convention (pixels or a dataset alike), without being told', async () => {
    const model = mlp({ inputs: 16, hidden: [8], outputs: 3, seed: 2 });
    setModelMetadata(model, { model: 'mlp', input: standard, classes: ['a', 'b', 'c'] });
    const before = tf.memory().numTensors;
    const fromPixels = await predict(model, pixels, { batchSize: 3 });
    const fromDataset = await predict(model, dataset);
    expect(tf.memory().numTensors).toBe(before);
    expect(fromPixels).toEqual(fromDataset);
    expect(fromPixels.classNames).toEqual(['a', 'b', 'c']);
    const expected = byHand(model, standard);
    fromPixels.probabilities.forEach((p, i) => {
      p.forEach((v, c) => {
        expect(v).toBeCloseTo(expected[i][c], 6);
      });
      expect(fromPixels.indices[i]).toBe(expected[i].indexOf(Math.max(...expected[i])));
    });
    // Told another convention, it uses that one: the scale changes the answer.
    const unit = await predict(model, pixels, { input: { ...standard, normalize: 'unit' } });
    expect(unit.probabilities[0][0]).toBeCloseTo(byHand(model, { ...standard, normalize: 'unit' })[0][0], 6);
    expect(Math.abs(unit.probabilities[0][0] - fromPixels.probabilities[0][0])).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('resizes a dataset of another size to the model’s, and does not softmax a softmax output again', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2, 1] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    const result = await predict(model, dataset);
    expect(result.classNames).toBeUndefined();
    const probs = result.probabilities.map((p) => Array.from(p));
    for (const p of probs) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Softmaxing probabilities again would flatten them towards 1/3.
    const direct = tf.tidy(() => (model.predict(tf.ones([1, 2, 2, 1])) as tf.Tensor).dataSync());
    const ones = await predict(model, new Float32Array(4).fill(1));
    expect(Array.from(ones.probabilities[0])).toEqual(Array.from(direct));
    model.dispose();
  });

  it('refuses pixels that are not whole images, naming the size expected', async () => {
    const model = mlp({ inputs: 16, hidden: [4], outputs: 3, seed: 1 });
    await expect(predict(model, new Float32Array(20))).rejects.toThrow(/^images: expected \[0, 1\] pixels, a multiple of 4 x 4 x 1 = 16 values, got 20$/);
    model.dispose();
  });
});
