import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { FASHION_MNIST_CLASSES } from '@fmnist/data';
import { mlp, saveModel } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../../data/src/test-utils/synthetic-fashion';
import { runCli } from '../cli';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cli-${name}-`));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), isTTY: false });
  return { code, out, err };
}

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
