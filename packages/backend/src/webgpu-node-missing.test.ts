import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from './init-backend';
import { webGpuUnavailable } from './webgpu-node-unavailable';

// `webgpu` (Dawn's Node bindings) is an optional peer: without it, asking for WebGPU is one line naming it.
vi.mock('webgpu', () => {
  throw new Error("Cannot find package 'webgpu' imported from webgpu-node.ts");
});

describe('initBackend({ backend: "webgpu" }) without the webgpu package', () => {
  it('is one line that names the package and how to install it, and leaves navigator.gpu alone', async () => {
    const error = await initBackend({ backend: 'webgpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'backend webgpu is not available: the webgpu package (Dawn) is not installed: it is an optional peer of @fmnist/backend (npm i webgpu)',
    );
    expect(webGpuUnavailable(error)).toMatchObject({ available: false, problem: 'package', fix: 'npm i webgpu' });
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  });
});
