import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** GPU memory in use (tfjs-backend-webgpu's `numBytesInGPU`); 0 on other backends. */
export function bytesInGpu(): number {
  return (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }).numBytesInGPU ?? 0;
}

/** What `sgdRun` measured: the weights, and what the steps left behind. */
export interface SgdRun {
  /** The weights after the steps, in `model.getWeights()` order. */
  weights: Float32Array[];
  /** Tensors the second and third steps left behind (0: nothing leaks per step). */
  tensorsPerStep: number;
  /** GPU bytes the model held before it was disposed, above those before it was made. */
  gpuBytesHeld: number;
  /** Tensors, and GPU bytes, left once the model, its data and its optimizer are disposed (0 and 0). */
  tensorsLeft: number;
  gpuBytesLeft: number;
}

/**
 * Three SGD steps of a fresh `make()` on seeded random data (the same on every backend), read
 * asynchronously (a GPU tensor cannot be read synchronously in Node). No test framework: a child
 * process runs it too (`webgpu-child.ts`); `weightsAfterSgdSteps` checks what it measured.
 */
export async function sgdRun(make: () => LayersModel, shape: number[]): Promise<SgdRun> {
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
  const tensorsPerStep = tf.memory().numTensors - after1;
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  const gpuBytesHeld = bytesInGpu() - gpuBytes;
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return { weights, tensorsPerStep, gpuBytesHeld, tensorsLeft: tf.memory().numTensors - tensors, gpuBytesLeft: bytesInGpu() - gpuBytes };
}
