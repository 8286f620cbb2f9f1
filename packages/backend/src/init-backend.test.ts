import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend';

describe('initBackend', () => {
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
  });

  it('gives cpu on request, and a clear error for an unavailable or unknown backend', async () => {
    expect((await initBackend({ backend: 'cpu' })).name).toBe('cpu');
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(/backend tensorflow is not available: .*(not installed|failed to load)/);
    await expect(initBackend({ backend: 'gpu' as 'cpu' })).rejects.toThrow(/backend: expected auto, tensorflow, wasm or cpu, got "gpu"/);
  });
});
