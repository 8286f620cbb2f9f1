import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend';
import { winogradEnabled } from './kernels/conv2d-winograd';

describe('initBackend', () => {
  // First: a process initialises wasm once, with its thread count.
  it('runs tfjs-backend-wasm multi-threaded in Node, with the same results as the cpu backend', async () => {
    const info = await initBackend({ backend: 'wasm', threads: 2 });
    expect(info.threads).toBe(2);
    const conv = () =>
      tf.tidy(() =>
        tf.conv2d(
          tf.randomNormal([8, 12, 12, 16], 0, 1, 'float32', 3) as tf.Tensor4D,
          tf.randomNormal([3, 3, 16, 32], 0, 1, 'float32', 4) as tf.Tensor4D,
          1,
          'same',
        ),
      );
    const threaded = conv();
    const a = threaded.dataSync();
    threaded.dispose();
    await tf.setBackend('cpu');
    const b = conv().dataSync();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-3);
    await tf.setBackend('wasm');
  });

  it('splits products across the threads with the results of the cpu backend', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    // Shapes whose block grids differ: many rows, many columns, both, few of either.
    for (const [m, k, n] of [
      [1024, 300, 200],
      [70, 50, 1030],
      [2000, 64, 10],
      [97, 333, 131],
    ]) {
      const run = () =>
        tf.tidy(() => tf.matMul(tf.randomNormal([m, k], 0, 1, 'float32', m), tf.randomNormal([k, n], 0, 1, 'float32', n)).dataSync() as Float32Array);
      const ours = run();
      await tf.setBackend('cpu');
      const ref = run();
      await tf.setBackend('wasm');
      const scale = ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      expect(ours.reduce((a, v, i) => Math.max(a, Math.abs(v - ref[i])), 0) / scale).toBeLessThan(1e-5);
    }
  });

  it('auto falls back to patched wasm when no native backend is installed, saying why', async () => {
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // Not installed on a fresh machine; installed without its native addon on some: a note either way.
    expect(info.notes.join('\n')).toMatch(/tfjs-node-gpu: (not installed|failed to load)/);
    expect(info.notes.join('\n')).toMatch(/tfjs-node: (not installed|failed to load)/);
    expect(info.patchedKernels).toContain('Conv2DBackpropFilter');
    expect(info.simd).toBe(true);
    expect(info.reason).toMatch(/wasm/);
    expect(info.winograd).toBe(true);
  });

  it('turns Winograd off and on with the winograd option', async () => {
    expect((await initBackend({ backend: 'wasm', winograd: false })).winograd).toBe(false);
    expect(winogradEnabled()).toBe(false);
    expect((await initBackend({ backend: 'wasm', winograd: true })).winograd).toBe(true);
    expect(winogradEnabled()).toBe(true);
  });

  it('gives cpu on request, and a clear error for an unavailable or unknown backend', async () => {
    expect((await initBackend({ backend: 'cpu' })).name).toBe('cpu');
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(/backend tensorflow is not available: .*(not installed|failed to load)/);
    await expect(initBackend({ backend: 'gpu' as 'cpu' })).rejects.toThrow(/backend: expected auto, tensorflow, wasm, cpu or webgpu, got "gpu"/);
  });
});
