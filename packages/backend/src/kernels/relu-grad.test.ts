import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm, prepareWasmKernels, registerCpuKernels } from '../patch-wasm';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await prepareWasmKernels();
});
afterAll(() => {
  patchWasm('none');
});

// 4099 values: SIMD body and scalar tail; zeros, negatives, NaN.
const values = Array.from({ length: 4099 }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? Number.NaN : Math.sin(i) * 3));
const upstream = Array.from({ length: 4099 }, (_, i) => Math.cos(i) + 2);
const expected = values.map((x, i) => (Number.isNaN(x) ? Number.NaN : x > 0 ? Math.fround(upstream[i]) : 0));

async function reluGrad(): Promise<{ dx: number[]; kernels: string[] }> {
  const x = tf.tensor1d(values);
  const w = tf.tensor1d(upstream);
  let dx: number[] = [];
  const profile = await tf.profile(() => {
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), w)))(x);
    dx = Array.from(g.dataSync());
    g.dispose();
  });
  tf.dispose([x, w]);
  return { dx, kernels: profile.kernelNames };
}

describe("ReLU's gradient", () => {
  it('is one FmnistReluGrad kernel on patched wasm, equal to dy * step(x) (NaN kept), leaving no tensors', async () => {
    patchWasm('all');
    const before = tf.memory().numTensors;
    const { dx, kernels } = await reluGrad();
    expect(tf.memory().numTensors).toBe(before);
    expect(kernels).toContain('FmnistReluGrad');
    expect(kernels).not.toContain('Step');
    expect(dx).toEqual(expected);
  });

  it('on the cpu backend with our kernels too', async () => {
    await tf.setBackend('cpu');
    registerCpuKernels();
    const { dx, kernels } = await reluGrad();
    await tf.setBackend('wasm');
    expect(kernels).toContain('FmnistReluGrad');
    expect(dx).toEqual(expected);
  });

  it("keeps tfjs's composition on a backend without the kernel (stock wasm)", async () => {
    patchWasm('none');
    const { dx, kernels } = await reluGrad();
    expect(kernels).toContain('Step');
    expect(dx).toEqual(expected);
  });
});
