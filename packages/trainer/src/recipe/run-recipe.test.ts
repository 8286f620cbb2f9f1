import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlternatingHorizontalFlip, type ImageDataset } from '@fmnist/data';
import { syntheticDataset } from '../../../data/src/test-utils/synthetic-fashion';
import { useCpu } from '../test-utils/toy-data';
import { recipeHash } from './recipe-hash';
import { recipeModelOptions, recipeSplits, recipeTransforms } from './recipe-parts';
import { runRecipe } from './run-recipe';
import { parseRecipe, type TrainRecipeInput } from './train-recipe';

beforeAll(useCpu);

const data = { train: syntheticDataset(300), test: syntheticDataset(100) };
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** A copy of `recipe` with the value at `path` (`fit.optimizer.lr`, `data.augment.1.p`) replaced, typed as recipe input for the tests of bad input too. */
function withField(recipe: unknown, path: string, value: unknown): TrainRecipeInput {
  const copy = structuredClone(recipe) as Record<string, unknown>;
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
  parent[keys[keys.length - 1]] = value;
  return copy as TrainRecipeInput;
}

/** A recipe with every field set to something other than its default. */
const full: TrainRecipeInput = {
  version: 1,
  model: { name: 'mlp', options: { hidden: [32, 16], dropout: 0.1, batchNorm: true } },
  data: {
    source: 'fashion-mnist',
    seed: 2,
    subset: 200,
    validation: 0.2,
    validationFrom: 'subset',
    validationSubset: 30,
    batchSize: 32,
    normalize: 'standard',
    augment: [
      { name: 'RandomHorizontalFlip', p: 0.4 },
      { name: 'RandomCrop', size: 28, padding: 2 },
    ],
  },
  fit: {
    epochs: 2,
    seed: 3,
    optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 },
    schedule: { name: 'StepLR', stepSize: 1, gamma: 0.5 },
    labelSmoothing: 0.1,
    gradientClip: { norm: 5 },
    ema: { decay: 0.9 },
    earlyStopping: { patience: 3 },
  },
  evaluate: { tta: ['hflip'], batchSize: 250, testImages: 80 },
};

describe('parseRecipe', () => {
  it('fills the defaults of a minimal recipe', () => {
    const r = parseRecipe({ version: 1, model: { name: 'mlp-small' }, data: {}, fit: { epochs: 3 } });
    expect(r.data).toEqual({ source: 'fashion-mnist', seed: 0, validation: 0.1, validationFrom: 'subset', batchSize: 64, normalize: 'unit', augment: [] });
    expect(r.fit).toMatchObject({ epochs: 3, seed: 0, optimizer: { name: 'adam' }, labelSmoothing: 0 });
    expect(r.evaluate).toEqual({ tta: [], batchSize: 500 });
  });

  it('refuses a bad field in one line naming its path and what was expected', () => {
    const bad = (path: string, value: unknown) => () => parseRecipe(withField(full, path, value));
    expect(bad('fit.optimizer.lr', -1)).toThrow(/^recipe fit\.optimizer\.lr: .*>=0/);
    expect(bad('data.augment.1.padding', 'x')).toThrow(/^recipe data\.augment\[1\]\.padding: /);
    expect(bad('fit.epoch', 3)).toThrow(/^recipe fit: .*epoch/);
    expect(bad('model.name', 'resnet')).toThrow(/^recipe model\.name: /);
    expect(bad('version', 2)).toThrow(/^recipe version: /);
    expect(() => parseRecipe({ ...full, model: { name: 'cnn', options: { hidden: [3] } } })).toThrow(/^recipe model\.options: .*hidden/);
  });
});

describe('parseRecipe: one canonical form, and what one field cannot check alone', () => {
  it("writes every optimizer default out (PyTorch's), so a run hashes the same whether they are written or not", () => {
    const minimal = parseRecipe({ version: 1, model: { name: 'mlp-small' }, fit: { epochs: 3, optimizer: { name: 'sgd', lr: 0.1 } } });
    expect(minimal.fit.optimizer).toEqual({ name: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
    const written = parseRecipe({ ...minimal, fit: { ...minimal.fit, optimizer: { ...minimal.fit.optimizer } } });
    expect(recipeHash(written)).toBe(recipeHash(minimal));
    const adam = (extra: object) =>
      recipeHash(parseRecipe({ version: 1, model: { name: 'mlp-small' }, fit: { epochs: 3, optimizer: { name: 'adam', ...extra } } }));
    expect(adam({ lr: 0.001, weightDecay: 0, betas: [0.9, 0.999], eps: 1e-8 })).toBe(adam({}));
    expect(parseRecipe({ version: 1, model: { name: 'mlp-small' }, fit: { epochs: 1, optimizer: { name: 'adamw' } } }).fit.optimizer.weightDecay).toBe(0.01);
  });

  it('refuses at parse time, naming the path, what would fail only after an epoch', () => {
    const bad = (path: string, value: unknown) => () => parseRecipe(withField(full, path, value));
    expect(bad('fit.earlyStopping.monitor', 'val_acc')).toThrow(
      /^recipe fit\.earlyStopping\.monitor: expected one of loss, accuracy, val_loss, val_accuracy, got "val_acc"/,
    );
    expect(bad('data.validation', 0)).toThrow(/^recipe fit\.earlyStopping\.monitor: val_loss needs a validation split/);
    expect(bad('fit.optimizer', { name: 'sgd', nesterov: true })).toThrow(/^recipe fit\.optimizer\.nesterov: Nesterov momentum needs momentum > 0/);
    expect(bad('fit.optimizer', { name: 'adam', momentum: 0.9 })).toThrow(/^recipe fit\.optimizer: .*momentum/);
    expect(
      bad('data.augment', [
        { name: 'Resize', size: 32 },
        { name: 'RandomCrop', size: 28 },
      ]),
    ).toThrow(/^recipe data\.augment\[1\]\.size: expected the image size 32/);
    expect(
      bad('data.augment', [
        { name: 'Resize', size: 32 },
        { name: 'Resize', size: 28 },
      ]),
    ).toThrow(/^recipe data\.augment\[1\]: one Resize at most/);
    expect(bad('data.subset', 70_000)).toThrow(/^recipe data\.subset: expected at most 60000/);
    const outside = withField(full, 'data.validationFrom', 'outside');
    expect(() => parseRecipe(withField(outside, 'data.subset', 54_001))).toThrow(
      /^recipe data\.subset: expected at most 48000 training images \(those left after the validation split\), got 54001/,
    );
    expect(bad('data.validationSubset', 41)).toThrow(/^recipe data\.validationSubset: expected at most the 40 validation images, got 41/);
    expect(() => parseRecipe(withField(outside, 'data.validationSubset', 12_001))).toThrow(/expected at most the 12000 validation images/);
    expect(bad('evaluate.testImages', 10_001)).toThrow(/^recipe evaluate\.testImages: /);
  });
});

describe('recipe parts', () => {
  it("builds airbench's alternating flip and vgg-style's dirac start from the recipe, refusing options they do not take", () => {
    const r = parseRecipe({
      version: 1,
      model: { name: 'vgg-style', options: { diracInit: true } },
      data: { augment: [{ name: 'AlternatingHorizontalFlip' }] },
      fit: { epochs: 1 },
    });
    expect(recipeTransforms(r.data.augment).train).toBeInstanceOf(AlternatingHorizontalFlip);
    expect(recipeModelOptions(r)).toMatchObject({ diracInit: true });
    expect(() => parseRecipe({ ...r, data: { augment: [{ name: 'AlternatingHorizontalFlip', p: 0.5 }] } })).toThrow(/^recipe data\.augment\[0\]: .*p/);
    expect(() => parseRecipe({ ...r, model: { name: 'vgg-style', options: { diracInit: 1 } } })).toThrow(/^recipe model\.options\.diracInit: /);
  });
});

describe('recipeHash', () => {
  it('is the same whatever the key order, and for a recipe with its defaults written out', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reversed = reverseKeys(full);
    expect(Object.keys(reversed as object)[0]).toBe('evaluate');
    expect(recipeHash(parseRecipe(reversed))).toBe(recipeHash(parseRecipe(full)));
    const minimal = { version: 1, model: { name: 'mlp-small' }, data: {}, fit: { epochs: 3 } };
    expect(recipeHash(parseRecipe(minimal))).toBe(recipeHash(parseRecipe(parseRecipe(minimal))));
  });

  it('changes with every field', () => {
    const base = parseRecipe(full);
    const hashes = new Set([recipeHash(base)]);
    // Every leaf of the recipe, changed one at a time.
    const leaves: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else leaves.push(path);
    };
    walk(base, []);
    expect(leaves.length).toBeGreaterThan(30);
    for (const path of leaves) {
      const v = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], base);
      const h = recipeHash(withField(base, path.join('.'), typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : `${v}-changed`));
      expect(hashes.has(h), path.join('.')).toBe(false);
      hashes.add(h);
    }
  });
});

describe('recipeSplits', () => {
  // Each training image carries its index in its first two pixels, so images can be told apart.
  const numbered = syntheticDataset(1000);
  for (let i = 0; i < numbered.count; i++) numbered.images.set([i & 255, i >> 8], i * 784);
  const loaded = { train: numbered, test: syntheticDataset(300) };
  const recipe = (data: object, evaluate: object = {}) => parseRecipe({ version: 1, model: { name: 'mlp-small' }, data, fit: { epochs: 1 }, evaluate });
  const ids = (ds: { images: Uint8Array; count: number }) =>
    new Set(Array.from({ length: ds.count }, (_, i) => ds.images[i * 784] + 256 * ds.images[i * 784 + 1]));

  it("'subset' splits the subset; 'outside' holds validation out of all the images and draws the subset from the rest", () => {
    const inside = recipeSplits(recipe({ subset: 500, validation: 0.2 }), loaded);
    expect([inside.train.count, inside.val?.count]).toEqual([400, 100]);
    const outside = recipeSplits(recipe({ subset: 500, validation: 0.2, validationFrom: 'outside' }), loaded);
    expect([outside.train.count, outside.val?.count]).toEqual([500, 200]);
    // The 'outside' split is the split of all the images, whatever the subset.
    const all = recipeSplits(recipe({ validation: 0.2 }), loaded);
    expect(ids(outside.val as ImageDataset)).toEqual(ids(all.val as ImageDataset));
    const train = ids(outside.train);
    for (const v of ids(outside.val as ImageDataset)) expect(train.has(v)).toBe(false);
  });

  it('samples the validation images (stratified) and takes the first test images', () => {
    const s = recipeSplits(recipe({ validation: 0.2, validationSubset: 50 }, { testImages: 120 }), loaded);
    expect(s.val?.count).toBe(50);
    expect(new Set(s.val?.labels).size).toBe(10);
    expect(s.test.count).toBe(120);
    expect(Array.from(s.test.labels)).toEqual(Array.from(loaded.test.labels.slice(0, 120)));
    expect(recipeSplits(recipe({ validation: 0 }), loaded).val).toBeUndefined();
  });
});

describe('runRecipe', () => {
  const quick: TrainRecipeInput = {
    version: 1,
    model: { name: 'mlp-small' },
    data: { normalize: 'standard', augment: [{ name: 'RandomHorizontalFlip' }] },
    fit: { epochs: 2, seed: 1, optimizer: { name: 'adam', lr: 0.003 }, ema: { decay: 0.9 } },
  };

  it('gives the same numbers for the same recipe, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const a = await runRecipe(quick, { data });
    const b = await runRecipe(JSON.parse(JSON.stringify(quick)), { data });
    expect(b.report.testAccuracy).toBe(a.report.testAccuracy);
    expect(b.history.epochs.map((e) => e.val_loss)).toEqual(a.history.epochs.map((e) => e.val_loss));
    expect(a.hash).toBe(recipeHash(parseRecipe(quick)));
    expect(a.report.testAccuracy).toBeGreaterThan(0.1);
    a.model.dispose();
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to resume a checkpoint of another recipe, naming the field; epochs may be raised unless the schedule depends on them', async () => {
    const dir = tmp('recipe-ckpt');
    const first = await runRecipe(quick, { data, checkpointDir: dir });
    first.model.dispose();
    const changed = withField(quick, 'data.augment.0.p', 0.3);
    await expect(runRecipe(changed, { data, checkpointDir: dir, resume: true })).rejects.toThrow(/recipe data\.augment\[0\]\.p was 0\.5, this run has 0\.3/);
    const longer = withField(quick, 'fit.epochs', 3);
    const further = await runRecipe(longer, { data, checkpointDir: dir, resume: true });
    expect(further.history.epochs).toHaveLength(3);
    further.model.dispose();

    const cycled = { ...structuredClone(quick), fit: { ...quick.fit, schedule: { name: 'OneCycleLR', maxLr: 0.01 } } } as TrainRecipeInput;
    const cycleDir = tmp('recipe-cycle');
    (await runRecipe(cycled, { data, checkpointDir: cycleDir })).model.dispose();
    const cycledLonger = withField(cycled, 'fit.epochs', 3);
    await expect(runRecipe(cycledLonger, { data, checkpointDir: cycleDir, resume: true })).rejects.toThrow(/recipe fit\.epochs was 2, this run has 3/);
  });
});
