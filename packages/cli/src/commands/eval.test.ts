import { initBackend } from '@fmnist/backend';
import { DataLoader, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD, loadFashionMnist } from '@fmnist/data';
import { loadModel, mlp, saveModel } from '@fmnist/models';
import { evaluate, fromLayersModel } from '@fmnist/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../../data/src/test-utils/synthetic-fashion';
import { cli, tmp } from '../test-utils/run-cli';

let data: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  data = tmp('eval-data');
  writeSyntheticSplit(data, 'test', 40);
});
const small = () => ['--dir', data, '--no-verify', '--backend', 'cpu'];

/** A flat MLP of `outputs` classes saved with `classes` in its metadata (none when undefined). */
async function savedModel(outputs: number, classes?: string[]): Promise<string> {
  const dir = tmp('eval-model');
  const model = mlp({ hidden: [8], outputs, seed: 1 });
  const input = { layout: 'flat', height: 28, width: 28, channels: 1, normalize: 'unit' } as const;
  await saveModel(model, dir, classes ? { model: 'mlp', classes, input } : { model: 'mlp', input });
  model.dispose();
  return dir;
}

describe('fmnist eval: the model’s classes', () => {
  it('refuses a model that scores another number of classes than the test set, in one line (exit 2)', async () => {
    const dir = await savedModel(4, ['a', 'b', 'c', 'd']);
    const r = await cli('eval', '--model-dir', dir, ...small());
    expect(r.code, r.err.join(' | ')).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /--model-dir .*: the model scores 4 classes \(a, b, c, d\), the test set has 10 \(T-shirt\/top, .*\): eval needs a 10-class model$/,
    );
    // Without metadata, its output units say it.
    const bare = await cli('eval', '--model-dir', await savedModel(3), ...small());
    expect(bare.code).toBe(2);
    expect(bare.err[0]).toMatch(/the model scores 3 classes, the test set has 10/);
  });

  it('refuses a model whose metadata names another number of classes than it scores', async () => {
    const r = await cli('eval', '--model-dir', await savedModel(10, ['a', 'b']), ...small());
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/the model scores 10 classes but its metadata names 2 \(a, b\)/);
  });

  it('names the rows with the model’s own class names', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `kind${i}`);
    const dir = await savedModel(10, names);
    const json = await cli('eval', '--model-dir', dir, ...small(), '--json');
    expect(json.code, json.err.join(' | ')).toBe(0);
    const result = JSON.parse(json.out.at(-1) ?? '{}') as { perClass: { class: string }[] };
    expect(result.perClass.map((c) => c.class)).toEqual(names);
    const text = await cli('eval', '--model-dir', dir, ...small());
    expect(text.out.join('\n')).toMatch(/^0 kind0\s/m);
    // Without names of its own, the test set's.
    const plain = await cli('eval', '--model-dir', await savedModel(10), ...small(), '--json');
    expect((JSON.parse(plain.out.at(-1) ?? '{}') as { perClass: { class: string }[] }).perClass.map((c) => c.class)).toEqual([...FASHION_MNIST_CLASSES]);
  });
});

describe('fmnist eval: the model’s input convention', () => {
  it('a model trained with --normalize standard scores in eval what evaluate(model, dataset) scores in a program, told nothing', async () => {
    writeSyntheticSplit(data, 'train', 200);
    const out = tmp('eval-standard');
    const trained = await cli('train', '--model', 'mlp-small', '--epochs', '1', '--batch', '32', '--normalize', 'standard', ...small(), '--out', out, '--json');
    expect(trained.code, trained.err.join(' | ')).toBe(0);
    const r = await cli('eval', '--model-dir', out, ...small(), '--json');
    expect(r.code, r.err.join(' | ')).toBe(0);
    const scored = JSON.parse(r.out.at(-1) ?? '{}') as { testAccuracy: number; testLoss: number };
    const { model, metadata } = await loadModel(out);
    expect(metadata?.input?.normalize).toEqual({ mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD });
    const test = await loadFashionMnist({ split: 'test', dir: data, verify: false });
    const inProgram = await evaluate(model, test);
    expect([scored.testAccuracy, scored.testLoss]).toEqual([inProgram.accuracy, inProgram.loss]);
    // As train scored it, and not what [0, 1] pixels score.
    const summary = JSON.parse(trained.out.at(-1) ?? '{}') as { testAccuracy: number; testLoss: number };
    expect([scored.testAccuracy, scored.testLoss]).toEqual([summary.testAccuracy, summary.testLoss]);
    // (through a Trainable, which takes any loader: the layers model itself refuses a 'unit' one now)
    const unit = await evaluate(fromLayersModel(model), new DataLoader(test, { batchSize: 500, shuffle: false }));
    expect(unit.loss).not.toBe(scored.testLoss);
    model.dispose();
  }, 60_000);
});
