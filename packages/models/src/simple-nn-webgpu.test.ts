import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// @fmnist/backend depends on this package: its source is imported by path, not as a dependency.
import { initBackend } from '../../backend/src/init-backend';
import { skipWebGpuTests } from '../../backend/src/test-utils/webgpu-driver';
import { toOnnx } from './onnx/to-onnx';
import { SIMPLE_NN_SYNC_ERROR, SimpleNN } from './simple-nn';

// Stage 1's SimpleNN reads its loss with await data() (trainStepAsync) and exports to ONNX with
// awaited reads: both run on WebGPU in Node (CI: Mesa's llvmpipe through Dawn), where dataSync
// cannot read a GPU tensor, and give the cpu backend's numbers.

async function run() {
  const net = new SimpleNN({ inputs: 12, seed: 4 });
  const x = tf.randomUniform([10, 12], 0, 1, 'float32', 7);
  const y = tf.cast(tf.greater(tf.randomUniform([10], 0, 1, 'float32', 8), 0.5), 'float32');
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) losses.push(await net.trainStepAsync(x, y, 0.5));
  expect(tf.memory().numTensors).toBe(before);
  const onnx = await toOnnx(net);
  const weights = [...(await net.W.data()), ...(await net.b.data())];
  tf.dispose([x, y]);
  net.dispose();
  return { losses, onnx, weights };
}

describe.skipIf(skipWebGpuTests('simple-nn-webgpu.test.ts'))('SimpleNN on WebGPU in Node', () => {
  it('trains (trainStepAsync) and exports to ONNX as on the cpu backend', async () => {
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const ours = await run();
    await initBackend({ backend: 'cpu' });
    const reference = await run();
    ours.losses.forEach((loss, i) => expect(loss).toBeCloseTo(reference.losses[i], 5));
    ours.weights.forEach((w, i) => expect(w).toBeCloseTo(reference.weights[i], 5));
    expect(ours.onnx.length).toBe(reference.onnx.length);
  }, 60_000);

  it('refuses the synchronous trainStep in one line naming trainStepAsync, before changing a weight, leaving no tensor', async () => {
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const net = new SimpleNN({ inputs: 12, seed: 4 });
    const x = tf.randomUniform([10, 12], 0, 1, 'float32', 7);
    const y = tf.cast(tf.greater(tf.randomUniform([10], 0, 1, 'float32', 8), 0.5), 'float32');
    const weights = [...(await net.W.data()), ...(await net.b.data())];
    const before = tf.memory().numTensors;
    expect(() => net.trainStep(x, y, 0.5)).toThrow(/^SimpleNN\.trainStep reads the loss synchronously.*: use await trainStepAsync\(x, y, lr\)/);
    expect(SIMPLE_NN_SYNC_ERROR).not.toContain('\n');
    expect(tf.memory().numTensors).toBe(before);
    expect([...(await net.W.data()), ...(await net.b.data())]).toEqual(weights);
    tf.dispose([x, y]);
    net.dispose();
  }, 60_000);
});
