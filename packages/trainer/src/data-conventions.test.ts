import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Compose, DataLoader, type DataLoaderOptions, type ImageDataset, Normalize, RandomHorizontalFlip, Resize } from '@fmnist/data';
import { cnn, getModelMetadata, mlp, predict } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelCheckpoint } from './callbacks/model-checkpoint';
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

describe("validation and evaluate apply the training transform's deterministic steps (Normalize, Resize)", () => {
  const norm = () => new Normalize({ mean: 0.3, std: 0.35 });
  const prepared = (ds: ImageDataset, options: DataLoaderOptions = {}) => new DataLoader(ds, { batchSize: 64, shuffle: false, ...options });

  for (const [label, transform] of [
    ['a Normalize', norm],
    ['a Normalize inside a Compose after a random flip', () => new Compose([new RandomHorizontalFlip(), norm()])],
  ] as const) {
    it(`with ${label} in fit's transform, val metrics on a validation dataset are those of the normalized images`, async () => {
      const m = model();
      const history = await fit(m, data, { epochs: 1, batchSize: 16, seed: 5, transform: transform(), validation: val });
      const truth = await evaluate(m, prepared(val, { transform: norm() }));
      expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
      expect(history.epochs[0].val_accuracy).toBe(truth.accuracy);
      m.dispose();
    });
  }

  it("a Resize in the training loader's transform resizes the validation dataset too (it crashed inside tfjs)", async () => {
    const before = tf.memory().numTensors;
    const conv = cnn({ inputShape: [12, 12, 1], classes: 4, filters: [2, 2], dense: [4], seed: 2 });
    const train = new DataLoader(data, {
      batchSize: 16,
      seed: 5,
      layout: 'image',
      transform: new Compose([new RandomHorizontalFlip(), new Resize({ size: 12 })]),
    });
    const history = await fit(conv, train, { epochs: 1, validation: val });
    const truth = await evaluate(conv, prepared(val, { layout: 'image', transform: new Resize({ size: 12 }) }));
    expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
    expect(history.epochs[0].val_accuracy).toBe(truth.accuracy);
    conv.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a validation loader without the training Normalize is refused in one line naming it; one with it is taken', async () => {
    const m = model();
    const train = new DataLoader(data, { batchSize: 16, transform: new Compose([new RandomHorizontalFlip(), norm()]) });
    await expect(fit(m, train, { epochs: 1, validation: prepared(val) })).rejects.toThrow(
      /^validation: the loader's evaluation transform is none, the training loader's is Normalize\(mean=\[0\.3\], std=\[0\.35\]\); [^\n]*$/,
    );
    await expect(fit(m, train, { epochs: 1, validation: prepared(val, { transform: new Normalize({ mean: 0.3, std: 0.4 }) }) })).rejects.toThrow(
      /^validation: the loader's evaluation transform is Normalize\(mean=\[0\.3\], std=\[0\.4\]\), the training loader's is Normalize\(mean=\[0\.3\], std=\[0\.35\]\)/,
    );
    const history = await fit(m, train, { epochs: 1, validation: prepared(val, { transform: new Compose([norm()]) }) });
    const truth = await evaluate(m, prepared(val, { transform: norm() }));
    expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
    m.dispose();
  });

  it('normalize is compared by value: { std, mean } is the same normalization as { mean, std }', async () => {
    const m = model();
    const train = new DataLoader(data, { batchSize: 16, seed: 5, normalize: { mean: 0.3, std: 0.35 } });
    const history = await fit(m, train, { epochs: 1, validation: prepared(val, { normalize: { std: 0.35, mean: 0.3 } }) });
    const truth = await evaluate(m, prepared(val, { normalize: standard }));
    expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
    m.dispose();
  });

  it('a resume with { std, mean } is the run a checkpoint wrote with { mean, std }; another value is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'normalize-order-'));
    const base = { seed: 5, optimizer: { name: 'adam' as const, lr: 0.01 } };
    await fit(model(), new DataLoader(data, { batchSize: 16, seed: 5, normalize: { mean: 0.3, std: 0.35 } }), {
      ...base,
      epochs: 1,
      callbacks: [new ModelCheckpoint({ dir })],
    });
    const resume = (normalize: { mean: number; std: number }) =>
      fit(model(), new DataLoader(data, { batchSize: 16, seed: 5, normalize }), { ...base, epochs: 2, resumeFrom: dir });
    expect((await resume({ std: 0.35, mean: 0.3 } as { mean: number; std: number })).epochs).toHaveLength(2);
    await expect(resume({ mean: 0.3, std: 0.36 })).rejects.toThrow(/training data normalize was/);
  });

  it('evaluate(model, dataset) and predict(model, dataset) normalize as the training Normalize did; a loader without it is refused', async () => {
    const m = model();
    await fit(m, data, { epochs: 2, batchSize: 16, seed: 5, transform: new Compose([new RandomHorizontalFlip(), norm()]) });
    expect(getModelMetadata(m)?.input?.normalize).toEqual({ mean: 0.3, std: 0.35 });
    const truth = await evaluate(m, prepared(val, { transform: norm() }));
    const before = tf.memory().numTensors;
    const scored = await evaluate(m, val);
    expect(scored.loss).toBeCloseTo(truth.loss, 5);
    expect(scored.accuracy).toBe(truth.accuracy);
    expect((await predict(m, val)).indices).toEqual(truth.predictions);
    // The loader's own normalize says the same: taken.
    expect((await evaluate(m, prepared(val, { normalize: standard }))).accuracy).toBe(truth.accuracy);
    await expect(evaluate(m, prepared(val))).rejects.toThrow(
      /^evaluate: the loader's normalize is "unit", the model was trained on \{"mean":0\.3,"std":0\.35\} \(its input convention\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('a Normalize the input convention cannot express (per-channel values) is refused by evaluate(model, dataset), taken on a loader that applies it', async () => {
    const rgb: ImageDataset = {
      ...data,
      channels: 3,
      images: Uint8Array.from({ length: data.count * 64 * 3 }, (_, i) => data.images[Math.floor(i / 3)]),
    };
    const rgbVal: ImageDataset = { ...val, channels: 3, images: Uint8Array.from({ length: val.count * 64 * 3 }, (_, i) => val.images[Math.floor(i / 3)]) };
    const perChannel = () => new Normalize({ mean: [0.3, 0.2, 0.1], std: [0.35, 0.3, 0.25] });
    const m = mlp({ inputs: 192, hidden: [8], outputs: 4, seed: 3 });
    const history = await fit(m, rgb, { epochs: 1, batchSize: 16, transform: perChannel(), validation: rgbVal });
    const truth = await evaluate(m, prepared(rgbVal, { transform: perChannel() }));
    expect(history.epochs[0].val_loss).toBeCloseTo(truth.loss, 6);
    await expect(evaluate(m, rgbVal)).rejects.toThrow(
      /^dataset: the model was trained on inputs prepared with Normalize\(mean=\[0\.3,0\.2,0\.1\], std=\[0\.35,0\.3,0\.25\]\), which its input convention cannot express; [^\n]*$/,
    );
    await expect(predict(m, rgbVal)).rejects.toThrow(/^dataset: the model was trained on inputs prepared with Normalize/);
    await expect(evaluate(m, prepared(rgbVal))).rejects.toThrow(/^evaluate: the loader does not apply Normalize\(mean=\[0\.3,0\.2,0\.1\]/);
    m.dispose();
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

describe('fit checks the classes before any step', () => {
  it('refuses a class index past the classes the data names, and a model with another class count', async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const outOfRange = { ...data, labels: data.labels.map((l, i) => (i === 5 ? 7 : l)) };
    await expect(fit(m, new DataLoader(outOfRange, { labels: 'index' }), { epochs: 1 })).rejects.toThrow(
      /^train: the data has class index 7, but names 4 classes \(a, b, c, d\)$/,
    );
    const five = { ...data, classNames: ['a', 'b', 'c', 'd', 'e'] };
    await expect(fit(m, new DataLoader(five), { epochs: 1 })).rejects.toThrow(/^train: the model outputs 4 classes, the data has 5 \(a, b, c, d, e\)/);
    await expect(fit(m, new DataLoader(data), { epochs: 1, loss: 'binaryCrossentropy' })).rejects.toThrow(
      /^train: binaryCrossentropy takes one logit and two classes/,
    );
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('a one-logit (sigmoid) model on two classes', () => {
  const two = (ds: ReturnType<typeof toyDataset>) => ({ ...ds, labels: ds.labels.map((l) => l % 2), classNames: ['even', 'odd'] });
  for (const labels of ['oneHot', 'index'] as const) {
    it(`trains with binaryCrossentropy, validates and evaluates (labels: '${labels}')`, async () => {
      const m = mlp({ inputs: 64, hidden: [16], outputs: 1, seed: 3 });
      const valLoader = new DataLoader(two(val), { shuffle: false, labels });
      const history = await fit(m, new DataLoader(two(data), { batchSize: 16, seed: 5, labels }), {
        epochs: 2,
        loss: 'binaryCrossentropy',
        optimizer: { name: 'adam', lr: 0.01 },
        validation: valLoader,
      });
      const scored = await evaluate(m, valLoader, { loss: 'binaryCrossentropy' });
      expect(history.epochs[1].val_loss).toBeCloseTo(scored.loss, 6);
      expect(history.epochs[1].val_accuracy).toBe(scored.accuracy);
      // The loss is the sigmoid cross-entropy of the one logit, by hand.
      const byHand = tf.tidy(() => {
        const x = tf.div(tf.tensor2d(Array.from(two(val).images), [val.count, 64]), 255);
        const z = tf.reshape(m.predict(x) as tf.Tensor, [-1]);
        const y = tf.tensor1d(Array.from(two(val).labels), 'float32');
        return tf.losses.sigmoidCrossEntropy(y, z).dataSync()[0];
      });
      expect(scored.loss).toBeCloseTo(byHand, 5);
      expect(scored.confusionMatrix).toHaveLength(2);
      m.dispose();
    });
  }
});
