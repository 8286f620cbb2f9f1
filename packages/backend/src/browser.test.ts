import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import { BackendError, initBackend } from './browser';

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without Node built-ins or the Node thread shim', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /wasm-threads|init-backend\.ts/.test(p))).toBe(false);
    expect(bundle.inputs.some((p) => p.endsWith('init-backend-browser.ts'))).toBe(true);
  });

  it('falls through WebGPU, WebGL and wasm to a working backend, with a note for each one skipped', async () => {
    // Node has no navigator.gpu and no WebGL context; wasm loads its binary from the package.
    const info = await initBackend();
    expect(['wasm', 'cpu']).toContain(info.name);
    expect(info.notes[0]).toMatch(/^@tensorflow\/tfjs-backend-webgpu: navigator\.gpu is missing/);
    expect(info.notes[1]).toMatch(/^@tensorflow\/tfjs-backend-webgl: /);
    expect(tf.getBackend()).toBe(info.name);
  });

  it('rejects an unknown or unavailable explicit backend by name', async () => {
    await expect(initBackend({ backend: 'webgpu' })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'metal' as 'cpu' })).rejects.toThrow(/expected auto, webgpu, webgl, wasm or cpu, got "metal"/);
    await expect(initBackend({ threads: 0 })).rejects.toThrow(/threads: expected a positive integer, got 0/);
  });
});
