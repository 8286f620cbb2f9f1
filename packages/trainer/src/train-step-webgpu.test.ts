import { initBackend } from '@fmnist/backend';
import { CUSTOM_KERNELS } from '@fmnist/core';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../backend/src/test-utils/webgpu-driver';
import { Adam } from './optimizers/adam';
import { TRAIN_STEP_SYNC_ERROR, trainStep, trainStepAsync } from './train-step';
import { fromLayersModel } from './trainable';

// On WebGPU in Node (CI: Mesa's llvmpipe through Dawn) no GPU tensor can be read synchronously:
// the sync trainStep refuses in one line before touching the weights; trainStepAsync runs the
// fused step there from standard tfjs kernels only (our custom kernels are registered for wasm
// and cpu), with the loss the tape computes.

const batch = () =>
  tf.tidy(() => ({
    xs: tf.randomNormal([8, 12], 0, 1, 'float32', 3),
    ys: tf.cast(tf.oneHot(tf.randomUniform([8], 0, 4, 'int32', 4), 4), 'float32'),
  }));
const weights = async (model: tf.Variable[]) => Promise.all(model.map(async (v) => Array.from(await v.data())));

describe.skipIf(skipWebGpuTests('train-step-webgpu.test.ts'))('train steps on WebGPU in Node', () => {
  it('the sync trainStep throws one line naming trainStepAsync, before changing any weight', async () => {
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const model = fromLayersModel(mlp({ inputs: 12, hidden: [6], outputs: 4, seed: 1 }));
    const optimizer = new Adam({ lr: 0.1 });
    const { xs, ys } = batch();
    const before = tf.memory().numTensors;
    const start = await weights(model.trainableVariables());
    expect(() => trainStep(model, optimizer, xs, ys)).toThrow(TRAIN_STEP_SYNC_ERROR);
    expect(TRAIN_STEP_SYNC_ERROR).not.toContain('\n');
    expect(await weights(model.trainableVariables())).toEqual(start);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([xs, ys]);
  });

  it('the fused step (batch norm, Adam) runs on standard kernels with the tape’s loss', async () => {
    await initBackend({ backend: 'webgpu' });
    const run = async (fused: boolean) => {
      const layers = mlp({ inputs: 12, hidden: [6], outputs: 4, batchNorm: true, seed: 1 });
      const model = fromLayersModel(layers);
      const optimizer = new Adam({ lr: 0.01 });
      const { xs, ys } = batch();
      let loss = 0;
      const profile = await tf.profile(async () => {
        ({ loss } = await trainStepAsync(model, optimizer, xs, ys, { fused, accuracy: false }));
      });
      optimizer.dispose();
      layers.dispose();
      tf.dispose([xs, ys]);
      return { loss, kernels: profile.kernels.map((k) => k.name) };
    };
    const before = tf.memory().numTensors;
    const fused = await run(true);
    const taped = await run(false);
    expect(tf.memory().numTensors).toBe(before);
    // The fused step ran (no gradient for the input batch: one product fewer than the tape's).
    const products = (names: string[]) => names.filter((n) => n === 'BatchMatMul').length;
    expect(products(fused.kernels)).toBe(products(taped.kernels) - 1);
    expect(fused.kernels.filter((n) => (CUSTOM_KERNELS as readonly string[]).includes(n))).toEqual([]);
    expect(fused.loss).toBeCloseTo(taped.loss, 5);
  }, 60_000);
});
