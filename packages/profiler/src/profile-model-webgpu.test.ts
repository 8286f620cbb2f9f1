import { initBackend } from '@fmnist/backend';
import { createModel } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../backend/src/test-utils/webgpu-driver';
import { gpuBytes } from './gpu-memory';
import { kernelTimesAvailable } from './kernel-breakdown';
import { measureMatmulPeak } from './matmul-peak';
import { profileModel } from './profile-model-node';

// The profiler on WebGPU in Node (CI: Mesa's llvmpipe through Dawn), where dataSync cannot read a
// GPU tensor: each step ends with an awaited read, GPU memory is reported, kernels without a
// time (no 'timestamp-query' on llvmpipe) have null times, not zeros. Small sizes: llvmpipe is slow.

describe.skipIf(skipWebGpuTests('profile-model-webgpu.test.ts'))('profileModel on WebGPU in Node', () => {
  it('times inference and training steps of mlp-small with awaited reads, reports GPU memory, leaves no tensor behind', async () => {
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const before = tf.memory().numTensors;
    const model = createModel('mlp-small', { seed: 0 });
    const options = { batchSizes: [8], iterations: 3, warmup: 1 };
    const results = [...(await profileModel(model, { ...options, mode: 'infer' })), ...(await profileModel(model, { ...options, mode: 'train' }))];
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(results.map((r) => [r.mode, r.backend, r.batch, r.iterations])).toEqual([
      ['infer', 'webgpu', 8, 3],
      ['train', 'webgpu', 8, 3],
    ]);
    for (const r of results) {
      for (const value of [r.latencyMs.p50, r.latencyMs.p95, r.msPerStep, r.imagesPerSecond, r.gflops, r.peakFraction]) {
        expect(Number.isFinite(value) && value > 0, `${r.mode}: ${value}`).toBe(true);
      }
      expect(r.gpuBytes).toBeGreaterThan(0);
      // Batches queued back to back with one read at the end: inference only.
      if (r.mode === 'infer') expect(r.pipelinedImagesPerSecond).toBeGreaterThan(0);
      else expect(r.pipelinedImagesPerSecond).toBeNull();
      expect(r.peakBytes).toBeGreaterThan(0);
      expect(r.kernels.length).toBeGreaterThan(0);
      // llvmpipe has no 'timestamp-query': counts only, never made-up zero times.
      for (const k of r.kernels) {
        expect(k.count).toBeGreaterThan(0);
        if (!kernelTimesAvailable()) expect(k.totalMs).toBeNull();
        else expect(k.totalMs).toBeGreaterThanOrEqual(0);
      }
    }
    expect(await measureMatmulPeak()).toBeGreaterThan(0);
    await initBackend({ backend: 'cpu' });
    expect(gpuBytes()).toBeNull();
  }, 120_000);
});
