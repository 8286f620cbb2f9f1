import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { type SgdRun, sgdRun } from './sgd-run';

export { bytesInGpu } from './sgd-run';

/**
 * Checks what an `sgdRun` measured: a step after the first leaves no tensor behind, and nothing is
 * left at the end: tensors, and on WebGPU the GPU buffers behind them (which the model held).
 */
export function expectNoLeak(run: SgdRun, backend: string): void {
  expect(run.tensorsPerStep).toBe(0);
  // The check below can fail: on WebGPU the model's tensors hold GPU buffers.
  if (backend === 'webgpu') expect(run.gpuBytesHeld).toBeGreaterThan(0);
  expect(run.tensorsLeft).toBe(0);
  expect(run.gpuBytesLeft).toBe(0);
}

/**
 * Three SGD steps of a fresh `make()` on seeded random data (the same on every backend), and the
 * weights after them (`sgdRun`), checking that nothing leaks (`expectNoLeak`).
 */
export async function weightsAfterSgdSteps(make: () => LayersModel, shape: number[]): Promise<Float32Array[]> {
  const run = await sgdRun(make, shape);
  expectNoLeak(run, tf.getBackend());
  return run.weights;
}
