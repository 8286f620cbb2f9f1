import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DataLoader, type Normalization } from '@fmnist/data';
import { createModel, fileSystemHandler, getModelMetadata, loadModel, mlp, predict, saveModel } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelCheckpoint } from './callbacks/model-checkpoint';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { toyDataset, useCpu } from './test-utils/toy-data';
import { fromLayersModel } from './trainable';

beforeAll(useCpu);

const here = dirname(fileURLToPath(import.meta.url));
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));
const data = toyDataset(96);
const test = toyDataset(40, 99);
const standard = { mean: 0.3, std: 0.35 };
const trainLoader = (normalize: Normalization) => new DataLoader(data, { batchSize: 16, seed: 5, normalize });
const testLoader = (normalize: Normalization) => new DataLoader(test, { batchSize: 500, shuffle: false, normalize });
const options = { epochs: 3, seed: 5, optimizer: { name: 'adam' as const, lr: 0.01 } };

interface ChildResult {
  normalize: unknown;
  loss: number;
  accuracy: number;
  predictions: number[];
  indices: number[];
  probabilities: number[][];
}

/** Loads the model in `dir` in a new process and scores it there with evaluate(model, dataset) and predict(model, dataset). */
async function scoreInNewProcess(dir: string): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'test-utils', 'evaluate-child.ts'), dir],
    { cwd: here },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as ChildResult;
}

describe('a fitted model carries its training input convention', () => {
  it('saved with only its name, it scores in a new process, without options, what the right loader scores here', async () => {
    const model = createModel('mlp', { inputs: 64, hidden: [16], outputs: 4, seed: 3 });
    await fit(model, trainLoader(standard), options);
    const truth = await evaluate(model, testLoader(standard));
    const dir = tmp('convention');
    await saveModel(model, dir, { model: 'mlp' });
    const child = await scoreInNewProcess(dir);
    expect(child.normalize).toEqual(standard);
    expect(child.loss).toBe(truth.loss);
    expect(child.accuracy).toBe(truth.accuracy);
    expect(child.predictions).toEqual(truth.predictions);
    expect(child.indices).toEqual(truth.predictions);
    // In this process too, and the wrong scale would have scored otherwise (what today's 'unit' fallback did).
    const here = await evaluate(model, test);
    expect([here.loss, here.accuracy]).toEqual([truth.loss, truth.accuracy]);
    const unit = await predict(model, test, { input: { layout: 'flat', height: 8, width: 8, channels: 1, normalize: 'unit' } });
    expect(unit.probabilities.map((p) => Array.from(p))).not.toEqual(child.probabilities);
    model.dispose();
  }, 60_000);

  it("ModelCheckpoint's saved model carries the convention, the classes, the zoo name and its options", async () => {
    const dir = tmp('checkpoint');
    const model = createModel('mlp', { inputs: 64, hidden: [16], outputs: 4, seed: 3 });
    await fit(model, trainLoader(standard), { ...options, callbacks: [new ModelCheckpoint({ dir })] });
    const { model: saved, metadata } = await loadModel(join(dir, 'last'));
    expect(metadata).toMatchObject({
      model: 'mlp',
      options: { inputs: 64, hidden: [16], outputs: 4, seed: 3 },
      classes: ['a', 'b', 'c', 'd'],
      input: { layout: 'flat', height: 8, width: 8, channels: 1, normalize: standard },
      training: { epoch: 2 },
    });
    const truth = await evaluate(model, testLoader(standard));
    const scored = await evaluate(saved, test);
    expect([scored.loss, scored.accuracy]).toEqual([truth.loss, truth.accuracy]);
    model.dispose();
    saved.dispose();
  }, 60_000);

  it('a second fit on other data replaces it, and a training summary that no longer describes the weights is dropped', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    await fit(model, trainLoader(standard), { ...options, epochs: 1 });
    expect(getModelMetadata(model)?.input?.normalize).toEqual(standard);
    await saveModel(model, tmp('summary'), { training: { epochs: 1 } });
    await fit(model, new DataLoader(data, { batchSize: 16, normalize: 'none' }), { ...options, epochs: 1 });
    expect(getModelMetadata(model)).toMatchObject({ input: { normalize: { mean: 0, std: 1 / 255 } }, classes: ['a', 'b', 'c', 'd'] });
    expect(getModelMetadata(model)?.training).toBeUndefined();
    // 'none' (0..255) is recorded as the standardisation it is, and a 'none' loader matches it.
    await expect(evaluate(model, new DataLoader(test, { normalize: 'none', shuffle: false }))).resolves.toBeDefined();
    model.dispose();
  });

  it('evaluate refuses a loader prepared otherwise than the convention the model carries, naming both', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    await fit(model, trainLoader(standard), { ...options, epochs: 1 });
    const before = tf.memory().numTensors;
    await expect(evaluate(model, testLoader('unit'))).rejects.toThrow(
      /^evaluate: the loader's normalize is "unit", the model was trained on \{"mean":0.3,"std":0.35\} \(its input convention\); pass the dataset to prepare it as the model wants$/,
    );
    await expect(evaluate(model, new DataLoader(test, { layout: 'image', normalize: standard }))).rejects.toThrow(
      /^evaluate: the loader's layout is 'image', the model takes 'flat' inputs \(its input convention\)$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('an ordinary tfjs-layers model (no metadata) still loads and evaluates, with the convention given by its loader', async () => {
    const dir = tmp('plain');
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    // Trained through a Trainable wrapper, nothing is recorded on the layers model; saved by tfjs itself.
    await fit(fromLayersModel(model), trainLoader(standard), { ...options, epochs: 2 });
    expect(getModelMetadata(model)).toBeUndefined();
    await model.save(fileSystemHandler(dir));
    const { model: loaded, metadata } = await loadModel(dir);
    expect(metadata).toBeUndefined();
    const truth = await evaluate(model, testLoader(standard));
    const given = await evaluate(loaded, testLoader(standard));
    expect([given.loss, given.accuracy]).toEqual([truth.loss, truth.accuracy]);
    // Given a dataset, such a model takes [0, 1] pixels, as it always did.
    const unit = await evaluate(loaded, test);
    const unitLoader = await evaluate(loaded, testLoader('unit'));
    expect([unit.loss, unit.accuracy]).toEqual([unitLoader.loss, unitLoader.accuracy]);
    model.dispose();
    loaded.dispose();
  });

  it('evaluate names a dataset whose class count is not the one the model was trained on', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    await fit(model, trainLoader('unit'), { ...options, epochs: 1 });
    await expect(evaluate(model, { ...test, classNames: ['x', 'y', 'z'] })).rejects.toThrow(
      /^evaluate: the model was trained on 4 classes \(a, b, c, d\), the dataset has 3 \(x, y, z\)$/,
    );
    model.dispose();
  });
});
