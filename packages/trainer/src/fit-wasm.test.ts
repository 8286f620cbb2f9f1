import { initBackend } from '@fmnist/backend';
import { DataLoader } from '@fmnist/data';
import { cnn, mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit';
import { toyDataset } from './test-utils/toy-data';

// Reproducibility on the default backend: wasm with our kernels on two threads.
beforeAll(async () => {
  const info = await initBackend({ backend: 'wasm', threads: 2 });
  expect(info.name).toBe('wasm');
  expect(info.threads).toBe(2);
});

const data = toyDataset(192);
const loader = (layout: 'flat' | 'image') => new DataLoader(data, { batchSize: 32, seed: 5, layout });

describe('fit on wasm with two threads', () => {
  it('gives the same history bit for bit for the same seed, and each concurrent run what it gives alone', async () => {
    const mlpRun = async (seed: number) =>
      (await fit(mlp({ inputs: 64, hidden: [128, 64], outputs: 4, dropout: 0.3, seed: 1 }), loader('flat'), { epochs: 2, seed, optimizer: 'adam' })).epochs.map(
        (e) => e.loss,
      );
    const cnnRun = async (seed: number) =>
      (
        await fit(cnn({ inputShape: [8, 8, 1], classes: 4, filters: [8, 16], dense: [16], dropout: 0.3, seed: 2 }), loader('image'), {
          epochs: 2,
          seed,
          optimizer: 'adam',
        })
      ).epochs.map((e) => e.loss);
    const a = await mlpRun(1);
    expect(await mlpRun(1)).toEqual(a);
    const c = await cnnRun(2);
    const [a2, c2, b2] = await Promise.all([mlpRun(1), cnnRun(2), mlpRun(3)]);
    expect(a2).toEqual(a);
    expect(c2).toEqual(c);
    expect(b2).not.toEqual(a);
  }, 120_000);
});
