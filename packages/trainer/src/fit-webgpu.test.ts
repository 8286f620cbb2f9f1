import { initBackend } from '@fmnist/backend';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
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
