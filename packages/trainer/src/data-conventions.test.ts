import { DataLoader, type DataLoaderOptions } from '@fmnist/data';
import { cnn, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

const data = toyDataset(96);
const val = toyDataset(40, 99);
const standard = { mean: 0.3, std: 0.35 };
const model = () => mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed: 3 });

describe('validation takes the training loader convention', () => {
  it('a validation dataset is standardized as the training loader is, so val metrics are the true ones', async () => {
    const m = model();
    const history = await fit(m, new DataLoader(data, { batchSize: 16, seed: 5, normalize: standard }), { epochs: 1, validation: val });
    const truth = await evaluate(m, new DataLoader(val, { batchSize: 64, shuffle: false, normalize: standard }));
    expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
    expect(history.epochs[0].val_accuracy).toBe(truth.accuracy);
    m.dispose();
  });

  it('a validation loader prepared otherwise is refused in one line naming the field', async () => {
    const m = model();
    const train = new DataLoader(data, { batchSize: 16, normalize: standard });
    await expect(fit(m, train, { epochs: 1, validation: new DataLoader(val, { shuffle: false }) })).rejects.toThrow(
      /^validation: normalize is "unit", the training loader's is \{"mean":0.3,"std":0.35\}/,
    );
    const conv = cnn({ inputShape: [8, 8, 1], classes: 4, filters: [2, 2], dense: [4], seed: 2 });
    await expect(fit(conv, new DataLoader(data, { layout: 'image' }), { epochs: 1, validation: new DataLoader(val, { layout: 'flat' }) })).rejects.toThrow(
      /^validation: layout 'flat' does not match the model's 'image' inputs/,
    );
    m.dispose();
    conv.dispose();
  });
});

describe("labels: 'index' (class indices, as nn.CrossEntropyLoss and Keras' sparse loss take)", () => {
  const run = async (labels: 'oneHot' | 'index', fusedStep: boolean, batchSize: number) => {
    const m = model();
    const opts: DataLoaderOptions = { batchSize, seed: 5, labels };
    const history = await fit(m, new DataLoader(data, opts), {
      epochs: 2,
      optimizer: { name: 'adam', lr: 0.01 },
      fusedStep,
      labelSmoothing: 0.1,
      validation: new DataLoader(val, { shuffle: false, labels }),
    });
    const scored = await evaluate(m, new DataLoader(val, { batchSize: 4, shuffle: false, labels }));
    m.dispose();
    return { epochs: history.epochs.map((e) => [e.loss, e.accuracy, e.val_loss, e.val_accuracy]), scored: [scored.loss, scored.accuracy] };
  };

  for (const fusedStep of [true, false]) {
    // A batch of 4 equals the class count, where a broadcast would pass silently.
    for (const batchSize of [16, 4]) {
      it(`trains and evaluates exactly as one-hot labels do (${fusedStep ? 'fused step' : 'tape'}, batch ${batchSize})`, async () => {
        const before = tf.memory().numTensors;
        const oneHot = await run('oneHot', fusedStep, batchSize);
        const index = await run('index', fusedStep, batchSize);
        expect(index.epochs[1][1]).toBeGreaterThan(0.5);
        index.epochs.forEach((row, e) => {
          row.forEach((x, i) => {
            expect(x).toBeCloseTo(oneHot.epochs[e][i], 5);
          });
        });
        expect(index.scored[0]).toBeCloseTo(oneHot.scored[0], 5);
        expect(index.scored[1]).toBe(oneHot.scored[1]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }
});

describe('evaluate refuses a model whose class count is not the data', () => {
  it('names both counts instead of failing inside tfjs', async () => {
    const m = mlp({ inputs: 64, hidden: [8], outputs: 10, seed: 3 });
    const before = tf.memory().numTensors;
    await expect(evaluate(m, new DataLoader(val, { shuffle: false }))).rejects.toThrow(
      /^evaluate: the model outputs \[40, 10\] per batch, the data has 4 classes \(a, b, c, d\): expected \[n, 4\] logits$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
