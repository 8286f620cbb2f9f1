import { BackendError } from './backend-error';
import type { ErrorKind } from '@fmnist/core';

/** What stops WebGPU in Node (see `WebGpuUnavailable.problem`). */
export type WebGpuProblem = 'package' | 'driver' | 'adapter' | 'start';

/**
 * Why `initBackend({ backend: 'webgpu' })` could not start WebGPU in Node, and what to do: read it
 * from the error with `webGpuUnavailable(error)`. `fmnist doctor --backend webgpu --json` prints it
 * as its `webgpu` field.
 */
export interface WebGpuUnavailable {
  available: false;
  /**
   * `'package'`: the `webgpu` package (Dawn) or `@tensorflow/tfjs-backend-webgpu` is missing or
   * does not load; `'driver'` (Linux): neither the Vulkan loader (libvulkan.so.1) nor EGL
   * (libEGL.so) loads; `'adapter'`: they load, but no Dawn backend gives an adapter; `'start'`:
   * tfjs's WebGPU backend did not start on the adapter.
   */
  problem: WebGpuProblem;
  /** What is wrong, one line. */
  reason: string;
  /** What to do, one line. */
  fix: string;
}

const reasons = new WeakMap<object, WebGpuUnavailable>();

/**
 * The BackendError for a WebGPU that cannot start: "backend webgpu is not available: REASON (FIX)",
 * whose reason and fix `webGpuUnavailable` gives back.
 */
export function webGpuUnavailableError(problem: WebGpuProblem, reason: string, fix: string, kind: ErrorKind = 'failure'): BackendError {
  const error = new BackendError(`backend webgpu is not available: ${reason} (${fix})`, { kind });
  reasons.set(error, { available: false, problem, reason, fix });
  return error;
}

/**
 * Why WebGPU could not start, when `error` is what `initBackend({ backend: 'webgpu' })` threw for
 * that (the package, the drivers, the adapter, or tfjs's backend); undefined for any other error.
 */
export function webGpuUnavailable(error: unknown): WebGpuUnavailable | undefined {
  return typeof error === 'object' && error !== null ? reasons.get(error) : undefined;
}

/**
 * Whether the dynamic loader finds a shared library by its name, as Dawn's `dlopen` does
 * (LD_LIBRARY_PATH as the process started with, then the system's cache): Node's `process.dlopen`
 * loads it, then says it is no Node addon; "cannot open shared object file" means not found (or
 * one of its own libraries missing).
 */
export function canLoadLibrary(name: string): boolean {
  try {
    process.dlopen({ exports: {} }, name);
    return true;
  } catch (error) {
    return !/cannot open shared object file/.test((error as Error).message);
  }
}

/**
 * The libraries each of Dawn's Linux backends loads by name. Dawn (webgpu 0.6.2) opens EGL as
 * `libEGL.so`, unversioned: Debian/Ubuntu install that name with `libegl-dev`, not `libegl1`.
 */
export const LINUX_DRIVER_LIBRARIES = { vulkan: 'libvulkan.so.1', opengles: 'libEGL.so' } as const;

/** The Debian/Ubuntu packages for Mesa's OpenGL ES on the CPU (llvmpipe), `libEGL.so` included. */
export const EGL_PACKAGES = 'libegl1 libgles2 libegl-mesa0 libegl-dev';

/**
 * Why no Dawn backend gave an adapter, with the fix, on `platform`: on Linux, `'driver'` when
 * neither libvulkan.so.1 nor libEGL.so loads (`canLoad`, the real loader by default), else
 * `'adapter'` naming what each backend said and the library that did not load.
 */
export function noAdapterError(
  tried: string[],
  platform: NodeJS.Platform = process.platform,
  canLoad: (name: string) => boolean = canLoadLibrary,
): BackendError {
  if (platform !== 'linux') return webGpuUnavailableError('adapter', `no WebGPU adapter (${tried.join('; ')})`, 'install or update the GPU driver');
  const missing = Object.values(LINUX_DRIVER_LIBRARIES).filter((name) => !canLoad(name));
  if (missing.length === 2)
    return webGpuUnavailableError(
      'driver',
      'no Vulkan loader (libvulkan.so.1) and no EGL (libEGL.so) found',
      `apt-get install libvulkan1 and the GPU's Vulkan driver (mesa-vulkan-drivers, or NVIDIA's), or ${EGL_PACKAGES} for Mesa's OpenGL ES on the CPU`,
    );
  return webGpuUnavailableError(
    'adapter',
    `no WebGPU adapter (${tried.join('; ')}${missing.length ? `; ${missing[0]} not found` : ''})`,
    `install the GPU's Vulkan driver (mesa-vulkan-drivers, or NVIDIA's; a software one needs Mesa 23 or later), or for Mesa's OpenGL ES on the CPU: apt-get install ${EGL_PACKAGES}; check VK_DRIVER_FILES, VK_ICD_FILENAMES and EGL_PLATFORM`,
  );
}
