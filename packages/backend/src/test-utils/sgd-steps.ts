import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';

/** GPU memory in use (tfjs-backend-webgpu's `numBytesInGPU`); 0 on other backends. */
export function bytesInGpu(): number {
  return (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }).numBytesInGPU ?? 0;
}

/**
 * Three SGD steps of a fresh `make()` on seeded random data (the same on every backend), and the
 * weights after them, read asynchronously (a GPU tensor cannot be read synchronously in Node).
 * Checks that a step after the first leaves no tensor behind, and that nothing is left at the end:
 * tensors, and on WebGPU the GPU buffers behind them.
 */
export async function weightsAfterSgdSteps(make: () => LayersModel, shape: number[]): Promise<Float32Array[]> {
  const tensors = tf.memory().numTensors;
  const gpuBytes = bytesInGpu();
  const model = make();
  const x = tf.randomUniform(shape, 0, 1, 'float32', 4);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([shape[0]], 0, 10, 'int32', 5), 10));
  const optimizer = tf.train.sgd(0.05);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
  // The first step creates what tfjs-layers keeps per model; after it, a step leaves nothing behind.
  step();
  const after1 = tf.memory().numTensors;
  step();
  step();
  expect(tf.memory().numTensors).toBe(after1);
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  // The check below can fail: on WebGPU the model's tensors hold GPU buffers.
  if (tf.getBackend() === 'webgpu') expect(bytesInGpu()).toBeGreaterThan(gpuBytes);
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(bytesInGpu()).toBe(gpuBytes);
  return weights;
}
