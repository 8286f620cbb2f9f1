import { join } from 'node:path';
import { FASHION_MNIST_FILES } from '@fmnist/data';
import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { writeSyntheticSplit } from '../../../data/src/test-utils/synthetic-fashion';
import { cli, tmp } from '../test-utils/run-cli';

// train, eval and predict end to end on WebGPU in Node (CI: Mesa's llvmpipe through Dawn, where
// no GPU tensor can be read synchronously): a tiny synthetic set, one short epoch.
describe.skipIf(skipWebGpuTests('train-webgpu.test.ts'))('fmnist train, eval, predict --backend webgpu', () => {
  it('trains one epoch, saves, evaluates the saved model to the same test accuracy, predicts', async () => {
    const data = tmp('webgpu-data');
    writeSyntheticSplit(data, 'train', 120);
    writeSyntheticSplit(data, 'test', 40);
    const out = join(tmp('webgpu-model'), 'model');
    const env = ['--dir', data, '--no-verify', '--backend', 'webgpu', '--json'];
    const train = await cli('train', '--model', 'mlp-small', '--epochs', '1', '--batch', '32', '--lr', '0.01', '--out', out, ...env);
    expect(train.code, train.err.join('\n')).toBe(0);
    const trained = train.json() as { backend: string; testAccuracy: number; history: { loss: number }[] };
    expect(trained.backend).toBe('webgpu');
    expect(Number.isFinite(trained.history[0].loss)).toBe(true);
    const evaluated = await cli('eval', '--model-dir', out, ...env);
    expect(evaluated.code, evaluated.err.join('\n')).toBe(0);
    expect((evaluated.json() as { testAccuracy: number }).testAccuracy).toBe(trained.testAccuracy);
    const images = join(data, `${FASHION_MNIST_FILES.test.images}.gz`);
    const predicted = await cli('predict', images, '--model-dir', out, '--limit', '3', '--backend', 'webgpu', '--json');
    expect(predicted.code, predicted.err.join('\n')).toBe(0);
    const { predictions } = predicted.json() as { predictions: unknown[] };
    expect(predictions).toHaveLength(3);
  }, 120_000);
});
