import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// @fmnist/backend depends on this package: its source is imported by path, not as a dependency.
import { initBackend } from '../../backend/src/init-backend';
import { skipWebGpuTests } from '../../backend/src/test-utils/webgpu-driver';
import { mlp } from './mlp';
import { predict } from './predict';

// predict reads with await data(): it runs on WebGPU in Node (CI: Mesa's llvmpipe through Dawn),
// where dataSync cannot read a GPU tensor, and gives the cpu backend's classes and probabilities.

describe.skipIf(skipWebGpuTests('predict-webgpu.test.ts'))('predict on WebGPU in Node', () => {
  it('gives the classes and probabilities of the cpu backend, leaving no tensor behind', async () => {
    const pixels = Float32Array.from({ length: 5 * 784 }, (_, i) => ((i * 37) % 256) / 255);
    const run = async () => {
      const model = mlp({ seed: 2 });
      const before = tf.memory().numTensors;
      const result = await predict(model, pixels, { batchSize: 2 });
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      return result;
    };
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const ours = await run();
    await initBackend({ backend: 'cpu' });
    const reference = await run();
    expect(ours.top.map((t) => t.map((c) => c.index))).toEqual(reference.top.map((t) => t.map((c) => c.index)));
    ours.probabilities.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(reference.probabilities[i][j], 5)));
  }, 60_000);
});
