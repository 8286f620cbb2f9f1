import { loadModel, MODEL_NAMES } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../data/src/test-utils/synthetic-fashion';
import { cli, tmp } from './test-utils/run-cli';
import { MODEL_FLAGS, modelFlagOptions } from './model-flags';

let data: string;
beforeAll(() => {
  data = tmp('flags-data');
  writeSyntheticSplit(data, 'train', 120);
  writeSyntheticSplit(data, 'test', 40);
});
const small = () => ['--dir', data, '--no-verify', '--backend', 'cpu', '--val', '0', '--epochs', '1', '--batch', '40'];

describe('fmnist train: model flags', () => {
  it('refuses a flag the chosen model does not take, in one line naming the flag and the models that take it (exit 2)', async () => {
    for (const [argv, message] of [
      [['--model', 'cnn', '--hidden', '32'], /^fmnist: --hidden: model cnn does not take it \(it sets hidden of mlp\)$/],
      [['--model', 'mlp-small', '--width', '64'], /^fmnist: --width: model mlp-small does not take it \(it sets width of dynamic-mlp\)$/],
      [['--model', 'mlp', '--layers', '3'], /^fmnist: --layers: model mlp does not take it \(it sets nLayers of dynamic-mlp\)$/],
      [
        ['--model', 'vgg-style', '--batch-norm'],
        /^fmnist: --batch-norm: model vgg-style does not take it \(it sets batchNorm of mlp-small, mlp-wide, mlp, dynamic-mlp\)$/,
      ],
      [['--model', 'mlp-wide', '--hidden', '32,16'], /--hidden: model mlp-wide does not take it/],
    ] as const) {
      const r = await cli('train', ...argv, ...small());
      expect(r.code, `${argv.join(' ')}: ${r.err.join(' | ')}`).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
  });

  it('refuses a bad value of a model flag, naming it', () => {
    expect(() => modelFlagOptions('mlp', { hidden: '32,x' })).toThrow(/--hidden: expected comma-separated positive integers, got "32,x"/);
    expect(() => modelFlagOptions('cnn', { dropout: '1' })).toThrow(/--dropout: expected a rate from 0 to below 1, got "1"/);
    expect(() => modelFlagOptions('dynamic-mlp', { width: '0' })).toThrow(/--width: expected an integer from 1 to 4096/);
  });

  it('gives each model the options of the flags it takes', () => {
    expect(modelFlagOptions('mlp', { hidden: '32,16', dropout: '0.25', 'batch-norm': true })).toEqual({ hidden: [32, 16], dropout: 0.25, batchNorm: true });
    expect(modelFlagOptions('dynamic-mlp', { layers: '3', width: '64', 'batch-norm': true })).toEqual({ nLayers: 3, width: 64, batchNorm: true });
    expect(modelFlagOptions('cnn', { dropout: '0.1' })).toEqual({ dropout: 0.1 });
    expect(modelFlagOptions('cnn', {})).toEqual({});
    // Every flag names at least one model, and only zoo models.
    for (const spec of Object.values(MODEL_FLAGS)) for (const m of spec.models) expect(MODEL_NAMES).toContain(m);
  });

  it('a flag the model takes is used: mlp --hidden 16 --batch-norm trains that network', async () => {
    const out = tmp('flags-model');
    const r = await cli('train', '--model', 'mlp', '--hidden', '16', '--batch-norm', ...small(), '--out', out, '--json');
    expect(r.code, r.err.join(' | ')).toBe(0);
    const { model, metadata } = await loadModel(out);
    expect(metadata?.options).toMatchObject({ hidden: [16], batchNorm: true });
    expect(model.layers.map((l) => l.getClassName())).toContain('BatchNormalization');
    expect(model.layers.find((l) => l.getClassName() === 'Dense')?.getConfig().units).toBe(16);
    model.dispose();
  }, 60_000);
});
