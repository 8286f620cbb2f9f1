import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, stratifiedSubset } from '@fmnist/data';
import { createModel, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bytesInGpu } from '../../backend/src/test-utils/sgd-steps';
import { skipWebGpuTests } from '../../backend/src/test-utils/webgpu-driver';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { toyDataset } from './test-utils/toy-data';

// fit and evaluate read their numbers with await data(): they run on WebGPU in Node (CI: Mesa's
// llvmpipe through Dawn), where dataSync cannot read a GPU tensor, and match the cpu backend.

const data = toyDataset(64);
const run = async () => {
  const model = mlp({ inputs: 64, hidden: [16], outputs: 4, seed: 3 });
  const history = await fit(model, new DataLoader(data, { batchSize: 16, seed: 5 }), { epochs: 2, seed: 11, optimizer: { name: 'adam', lr: 0.01 } });
  const evaluation = await evaluate(model, new DataLoader(toyDataset(40, 99), { batchSize: 20, shuffle: false }));
  model.dispose();
  return { losses: history.epochs.map((e) => e.loss), accuracies: history.epochs.map((e) => e.accuracy), evaluation };
};

describe.skipIf(skipWebGpuTests('fit-webgpu.test.ts'))('fit and evaluate on WebGPU in Node', () => {
  it('train and evaluate as on the cpu backend, leaving no tensor behind', async () => {
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const before = tf.memory().numTensors;
    const ours = await run();
    expect(tf.memory().numTensors).toBe(before);
    await initBackend({ backend: 'cpu' });
    const reference = await run();
    ours.losses.forEach((loss, i) => expect(loss).toBeCloseTo(reference.losses[i], 4));
    expect(ours.accuracies).toEqual(reference.accuracies);
    expect(ours.evaluation.loss).toBeCloseTo(reference.evaluation.loss, 4);
    expect(ours.evaluation.accuracy).toBe(reference.evaluation.accuracy);
  }, 120_000);
});

// One epoch of mlp-small on 2,000 real training images (tested on 1,000): the accuracy WebGPU
// reaches is wasm's within one point, and training plus evaluation leave no tensor and no GPU
// buffer behind. Not on the Node legs (nothing here depends on Node's version; ~10 s on llvmpipe).
describe.skipIf(skipWebGpuTests('fit-webgpu.test.ts') || process.env.FMNIST_NODE_LEG)('mlp-small on real Fashion-MNIST on WebGPU in Node', () => {
  it("reaches wasm's accuracy within one point after one epoch on a subset, leaking nothing", async () => {
    const train = stratifiedSubset(await loadFashionMnist({ split: 'train', download: false }), 2000, { seed: 1 });
    const test = stratifiedSubset(await loadFashionMnist({ split: 'test', download: false }), 1000, { seed: 2 });
    const accuracy = async () => {
      const model = createModel('mlp-small', { seed: 0 });
      await fit(model, new DataLoader(train, { batchSize: 64, seed: 0 }), { epochs: 1, seed: 0, optimizer: { name: 'adam', lr: 3e-3 } });
      const result = await evaluate(model, new DataLoader(test, { batchSize: 500, shuffle: false }));
      model.dispose();
      return result.accuracy;
    };
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const tensors = tf.memory().numTensors;
    const gpuBytes = bytesInGpu();
    const ours = await accuracy();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(bytesInGpu()).toBe(gpuBytes);
    expect((await initBackend({ backend: 'wasm' })).name).toBe('wasm');
    const reference = await accuracy();
    console.log(`mlp-small, 1 epoch on 2,000 images: test accuracy ${(ours * 100).toFixed(1)}% on webgpu, ${(reference * 100).toFixed(1)}% on wasm`);
    expect(reference).toBeGreaterThan(0.6);
    expect(Math.abs(ours - reference)).toBeLessThanOrEqual(0.01);
  }, 120_000);
});
