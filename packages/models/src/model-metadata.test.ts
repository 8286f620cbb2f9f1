import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FASHION_MNIST_CLASSES } from '@fmnist/data';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { fileSystemHandler } from './file-io-handler';
import { getModelMetadata, type ModelInput, type ModelMetadata, setModelMetadata } from './model-metadata';
import { modelInput } from './model-input';
import { createModel } from './registry';
import { loadModel, saveModel } from './save-model';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const standard: ModelInput = { layout: 'flat', height: 28, width: 28, channels: 1, normalize: { mean: 0.286, std: 0.353 } };
const tmp = () => mkdtempSync(join(tmpdir(), 'metadata-'));

describe('the metadata a model carries', () => {
  it('takes a readonly list of classes, such as FASHION_MNIST_CLASSES', () => {
    expectTypeOf(FASHION_MNIST_CLASSES).toExtend<NonNullable<ModelMetadata['classes']>>();
    const model = createModel('mlp-small', { seed: 1 });
    setModelMetadata(model, { classes: FASHION_MNIST_CLASSES });
    expect(getModelMetadata(model)?.classes).toEqual([...FASHION_MNIST_CLASSES]);
    model.dispose();
  });

  it('createModel records the zoo name and options; setModelMetadata merges, removes a field given as undefined, keeps other user metadata', () => {
    const model = createModel('mlp-small', { seed: 4, dropout: 0.1 });
    expect(getModelMetadata(model)).toEqual({ model: 'mlp-small', options: { seed: 4, dropout: 0.1 } });
    model.setUserDefinedMetadata({ ...model.getUserDefinedMetadata(), mine: { note: 1 } });
    const classes = ['a', 'b'];
    setModelMetadata(model, { input: standard, classes, training: { epochs: 1 } });
    classes.push('c'); // a copy is kept, not the caller's array
    setModelMetadata(model, { training: undefined });
    expect(getModelMetadata(model)).toEqual({ model: 'mlp-small', options: { seed: 4, dropout: 0.1 }, input: standard, classes: ['a', 'b'] });
    expect((model.getUserDefinedMetadata() as { mine?: unknown }).mine).toEqual({ note: 1 });
    // Kept as JSON keeps it: an option left undefined (as CLI flags leave them) is no field (tfjs refuses it).
    const flags = createModel('mlp', { hidden: [8], dropout: undefined, seed: 2 });
    expect(getModelMetadata(flags)?.options).toEqual({ hidden: [8], seed: 2 });
    flags.dispose();
    expect(modelInput(model)).toEqual(standard);
    // Explicit metadata still wins.
    const other = { ...standard, normalize: 'unit' as const };
    expect(modelInput(model, { model: 'x', input: other })).toBe(other);
    model.dispose();
  });

  it('saveModel fills what its metadata lacks from what the model carries; loadModel returns it and the loaded model carries it', async () => {
    const dir = tmp();
    const model = createModel('mlp-small', { seed: 1 });
    // What fit records: the training loader's convention and the class names.
    setModelMetadata(model, { input: standard, classes: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] });
    await saveModel(model, dir, { model: 'mlp-small', training: { epochs: 2 } });
    const saved = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.fmnist;
    expect(saved).toEqual({ model: 'mlp-small', options: { seed: 1 }, input: standard, classes: 'abcdefghij'.split(''), training: { epochs: 2 } });
    const { model: loaded, metadata } = await loadModel(dir);
    expect(metadata).toEqual(saved);
    expect(getModelMetadata(loaded)).toEqual(saved);
    expect(modelInput(loaded)).toEqual(standard);
    // Given fields win over carried ones.
    await saveModel(loaded, dir, { input: { ...standard, normalize: 'unit' } });
    expect((await loadModel(dir)).metadata?.input?.normalize).toBe('unit');
    model.dispose();
    loaded.dispose();
  });

  it('names a model that nothing named after its tfjs name', async () => {
    const dir = tmp();
    const model = tfl.sequential({ name: 'mine', layers: [tfl.layers.dense({ units: 2, inputShape: [4] })] });
    await saveModel(model, dir);
    expect((await loadModel(dir)).metadata).toEqual({ model: 'mine' });
    model.dispose();
  });

  it('an ordinary tfjs-layers model still loads, without metadata: [0, 1] pixels in its layout unless told otherwise', async () => {
    const dir = tmp();
    const before = tf.memory().numTensors;
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [16] })] });
    await model.save(fileSystemHandler(dir));
    const { model: loaded, metadata } = await loadModel(dir);
    expect(metadata).toBeUndefined();
    expect(getModelMetadata(loaded)).toBeUndefined();
    expect(modelInput(loaded)).toEqual({ layout: 'flat', height: 4, width: 4, channels: 1, normalize: 'unit' });
    expect(modelInput(loaded, { model: 'given', input: { ...standard, height: 4, width: 4 } }).normalize).toEqual(standard.normalize);
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
