import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist } from '@fmnist/data';
import { createModel } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { OneCycleLR } from './schedulers/one-cycle-lr';

// Real data, default backend: run once in CI with `pnpm test:slow`.
describe('mlp-small on the real Fashion-MNIST', () => {
  it('reaches at least 84% test accuracy after one epoch, without leaking tensors', async () => {
    await initBackend({ backend: 'wasm' });
    const train = await loadFashionMnist({ split: 'train', download: false });
    const test = await loadFashionMnist({ split: 'test', download: false });
    const model = createModel('mlp-small', { seed: 0 });
    const before = tf.memory().numTensors;
    const history = await fit(model, new DataLoader(train, { batchSize: 64, seed: 0 }), {
      epochs: 1,
      seed: 0,
      optimizer: { name: 'adam', lr: 1e-3 },
      // One epoch of constant-lr Adam ends anywhere in 83-85% depending on the last batches
      // (PyTorch too); a one-cycle schedule lands at 85.4-86.0% over seeds 0-3.
      callbacks: [new OneCycleLR({ maxLr: 4e-3 })],
    });
    const result = await evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false }));
    console.log(
      `mlp-small 1 epoch: test accuracy ${(result.accuracy * 100).toFixed(2)}%, ${history.epochs[0].imagesPerSecond.toFixed(0)} img/s on ${tf.getBackend()}`,
    );
    expect(result.accuracy).toBeGreaterThanOrEqual(0.84);
    // The optimizer fit made is disposed; tfjs-layers keeps one tensor per model from its first forward pass.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1);
  }, 300_000);
});
