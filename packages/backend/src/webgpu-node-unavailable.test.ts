import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendError } from './backend-error';
import { canLoadLibrary, LINUX_DRIVER_LIBRARIES, noAdapterError, webGpuUnavailable, webGpuUnavailableError } from './webgpu-node-unavailable';

// Why WebGPU cannot start in Node, as `fmnist doctor --backend webgpu` reports it. The real cases
// run elsewhere: a missing package in webgpu-node-missing.test.ts, no adapter in the doctor's test
// (a child process whose environment gives Dawn nothing). "No driver" cannot be produced on a
// machine that has the libraries: the loader is a parameter here.

describe('webGpuUnavailable', () => {
  it('gives back the problem, reason and fix of the error it was made with, and nothing for any other error', () => {
    const error = webGpuUnavailableError('package', 'the webgpu package failed to load: x', 'npm i webgpu again');
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error.message).toBe('backend webgpu is not available: the webgpu package failed to load: x (npm i webgpu again)');
    expect(error.kind).toBe('failure');
    expect(webGpuUnavailable(error)).toEqual({
      available: false,
      problem: 'package',
      reason: 'the webgpu package failed to load: x',
      fix: 'npm i webgpu again',
    });
    expect(webGpuUnavailable(new BackendError(error.message))).toBeUndefined();
    expect(webGpuUnavailable('backend webgpu is not available')).toBeUndefined();
    expect(webGpuUnavailable(null)).toBeUndefined();
  });
});

describe('canLoadLibrary', () => {
  it.runIf(process.platform === 'linux')('finds a library as the dynamic loader does, and says no for one that does not exist', () => {
    expect(canLoadLibrary('libc.so.6')).toBe(true);
    expect(canLoadLibrary('libfmnist-no-such-library.so.1')).toBe(false);
  });
});

describe('noAdapterError', () => {
  const tried = ['vulkan backend: no adapter', 'opengles backend: no adapter'];

  it('on Linux without libvulkan.so.1 and libEGL.so: no driver, and the packages to install', () => {
    const u = webGpuUnavailable(noAdapterError(tried, 'linux', () => false));
    expect(u).toMatchObject({ problem: 'driver', reason: 'no Vulkan loader (libvulkan.so.1) and no EGL (libEGL.so) found' });
    expect(u?.fix).toMatch(/^apt-get install libvulkan1 .*mesa-vulkan-drivers.*libegl1 libgles2 libegl-mesa0 libegl-dev/);
  });

  it('on Linux with libegl1 but not libegl-dev (libEGL.so.1 loads, the unversioned libEGL.so Dawn opens does not): that library is named, libegl-dev is in the fix', () => {
    const u = webGpuUnavailable(noAdapterError(tried, 'linux', (name) => name !== 'libEGL.so'));
    expect(u?.reason).toBe('no WebGPU adapter (vulkan backend: no adapter; opengles backend: no adapter; libEGL.so not found)');
    expect(u?.fix).toContain('apt-get install libegl1 libgles2 libegl-mesa0 libegl-dev');
  });

  it('on Linux with either library: no adapter, what each backend said, the library that is missing', () => {
    const noEgl = webGpuUnavailable(noAdapterError(tried, 'linux', (name) => name === 'libvulkan.so.1'));
    expect(noEgl).toMatchObject({
      problem: 'adapter',
      reason: 'no WebGPU adapter (vulkan backend: no adapter; opengles backend: no adapter; libEGL.so not found)',
    });
    expect(noEgl?.fix).toMatch(/Vulkan driver.*Mesa 23 or later.*apt-get install libegl1 libgles2 libegl-mesa0 libegl-dev/);
    const both = webGpuUnavailable(noAdapterError(tried, 'linux', () => true));
    expect(both?.reason).toBe('no WebGPU adapter (vulkan backend: no adapter; opengles backend: no adapter)');
  });

  it('elsewhere: no adapter, and the GPU driver to install', () => {
    expect(webGpuUnavailable(noAdapterError(['metal backend: no adapter'], 'darwin', () => false))).toEqual({
      available: false,
      problem: 'adapter',
      reason: 'no WebGPU adapter (metal backend: no adapter)',
      fix: 'install or update the GPU driver',
    });
  });
});

// The EGL name checked is the one Dawn's OpenGL ES backend dlopens: read from the dawn.node binary
// of the webgpu package this repository tests with (a NUL-terminated string constant there).
const dawnNode = (() => {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('webgpu/package.json'));
    const file = join(dir, 'dist', `${process.platform}-${process.arch}`, 'dawn.node');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
})();

describe('LINUX_DRIVER_LIBRARIES', () => {
  it.runIf(process.platform === 'linux' && dawnNode !== undefined)('names the EGL library dawn.node opens (libEGL.so, unversioned)', () => {
    const binary = readFileSync(dawnNode ?? '');
    expect(binary.includes(`\0${LINUX_DRIVER_LIBRARIES.opengles}\0`, 0, 'latin1')).toBe(true);
  });
});
