import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from './browser';

// WebGPU and WebGL are optional peers (a Node user need not install 41 MB of them): a browser
// without them installed gets one note naming the package, and the next backend.
vi.mock('@tensorflow/tfjs-backend-webgpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-webgpu' imported from init-backend-browser.ts");
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('optional browser backends', () => {
  it('a missing @tensorflow/tfjs-backend-webgpu is one note that names it, then the next backend', async () => {
    // A browser with a WebGPU adapter, where the package was not installed.
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => ({}) }, hardwareConcurrency: 2 });
    const info = await initBackend({ backend: 'auto' });
    expect(info.notes[0]).toBe(
      '@tensorflow/tfjs-backend-webgpu: not installed: it is an optional peer of @fmnist/backend (npm i @tensorflow/tfjs-backend-webgpu)',
    );
    expect(['wasm', 'cpu']).toContain(info.name);
    await expect(initBackend({ backend: 'webgpu' })).rejects.toThrow(/backend webgpu is not available: .*npm i @tensorflow\/tfjs-backend-webgpu/);
  });
});
