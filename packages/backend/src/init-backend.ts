import { BACKEND_CHOICES, type BackendChoice, type BackendName } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './backend-error';
import { cpus } from 'node:os';
import { spawnNodeKernelWorkers } from './kernels/simd/kernel-pool-node';
import { setWinograd, winogradEnabled } from './kernels/conv2d-winograd';
import { installWasmKernels, patchedKernels, registerCpuKernels, wasmKernelBuild, wasmKernelThreads, type WasmPatchLevel, wasmPatchLevel } from './patch-wasm';
import { keepingProcessListeners, withProcessListenersKept } from './process-listeners';
import { prepareWasmThreadsForNode } from './wasm-threads';
import { guardSyncReads, isMissingModule, prepareNodeWebGpu, quietTimestampWarning, type WebGpuAdapterReport } from './webgpu-node';
import { webGpuUnavailableError } from './webgpu-node-unavailable';

export type { BackendChoice, BackendName } from '@fmnist/core';
export type { DawnBackend, WebGpuAdapterReport } from './webgpu-node';

export interface InitBackendOptions {
  /**
   * `'auto'` tries tfjs-node-gpu (on a GPU), tfjs-node, wasm, then cpu. Default `'auto'`, or `$FMNIST_BACKEND`.
   *
   * `'webgpu'` runs `@tensorflow/tfjs-backend-webgpu` on Dawn's Node bindings (the `webgpu` package,
   * an optional peer): Vulkan, then OpenGL ES (Linux), Metal (macOS) or D3D12 (Windows). On a
   * machine without a GPU it finds a software adapter (Mesa's llvmpipe or lavapipe), correct but
   * slow, and says so. `'auto'` never picks WebGPU in Node: only when asked explicitly, until a
   * hardware adapter has been measured faster than wasm. Read tensors with `await data()` there:
   * `dataSync()` cannot read a GPU tensor in Node (tfjs reads synchronously through an OffscreenCanvas).
   */
  backend?: BackendChoice;
  /** wasm threads: >1 starts tfjs-backend-wasm's pthreads build in Node. Default: all cores, or `$FMNIST_THREADS`. */
  threads?: number;
  /** Which of our wasm kernels to register. Default `'all'`. */
  wasmPatches?: WasmPatchLevel;
  /**
   * 3x3 stride-1 convolutions by Winograd F(4x4, 3x3) on wasm (about 2x faster; ~1e-6 relative
   * error against direct convolution's ~1e-7). Default true, or false when `$FMNIST_WINOGRAD` is `0`.
   */
  winograd?: boolean;
}

export interface BackendInfo {
  /** The tfjs backend now active. */
  name: BackendName;
  requested: BackendChoice;
  /** The npm package providing it. */
  package: string;
  version: string;
  /** True when tfjs-node-gpu runs on a GPU, or WebGPU on a hardware (not software) adapter. */
  gpu: boolean;
  threads: number;
  simd: boolean;
  /** Why this one was chosen. */
  reason: string;
  /** One line per backend that was tried and skipped. */
  notes: string[];
  /** Our kernels registered on wasm. */
  patchedKernels: string[];
  /**
   * The build of our wasm kernels that runs: `relaxed-simd` (fused multiply-add; set
   * FMNIST_RELAXED_SIMD=0 for plain SIMD's rounding), `simd`, or `js` without wasm SIMD. Null off wasm.
   */
  kernelBuild: 'relaxed-simd' | 'simd' | 'js' | null;
  /** Whether our wasm kernels run 3x3 convolutions by Winograd (see `InitBackendOptions.winograd`). */
  winograd: boolean;
  /** The WebGPU adapter (vendor, device, Dawn backend, software or not, limits) on `webgpu`; null elsewhere. */
  webgpu: WebGpuAdapterReport | null;
}

interface NativeBackend {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

// A variable specifier keeps bundlers from trying to resolve the optional native packages.
async function importOptional(name: string): Promise<{ version?: { 'tfjs-node'?: string } } | undefined> {
  const specifier = name;
  return (await import(/* @vite-ignore */ specifier)) as { version?: { 'tfjs-node'?: string } };
}

/** Native packages that failed once in this process: not retried (a half-loaded one re-registers hundreds of kernels). */
const nativeFailures = new Map<string, string>();

/** Imports with tfjs's console noise (kernel re-registration warnings) held back. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node', notes: string[]): Promise<boolean> {
  const failed = nativeFailures.get(pkg);
  if (failed) {
    notes.push(failed);
    return false;
  }
  try {
    await quietly(() => importOptional(pkg));
    if (!(await tf.setBackend('tensorflow'))) throw new BackendError('backend "tensorflow" did not initialise', { kind: 'failure' });
    const native = tf.backend() as unknown as NativeBackend;
    if (pkg === '@tensorflow/tfjs-node-gpu' && native.isUsingGpuDevice === false) {
      notes.push(`${pkg}: installed but no GPU is in use (CUDA 11.2 / cuDNN 8.1 not found?)`);
      return false;
    }
    return true;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    const missing = /Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message);
    const hint = /tfjs_binding\.node/.test(message)
      ? ' (its native addon was never built: with pnpm, allow its install script, e.g. pnpm.onlyBuiltDependencies, then pnpm rebuild)'
      : '';
    const note = `${pkg}: ${missing ? 'not installed' : `failed to load: ${message.trim()}${hint}`}`;
    nativeFailures.set(pkg, note);
    notes.push(note);
    return false;
  }
}

async function useWasm(options: InitBackendOptions, notes: string[]): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const threads = options.threads ?? Number(process.env.FMNIST_THREADS ?? cpus().length);
    const patches = options.wasmPatches ?? 'all';
    if (!Number.isInteger(threads) || threads < 1) throw new BackendError(`threads: expected a positive integer, got ${threads}`);
    // Look in the engine's registry of initialised backends: tf.findBackend would start initialising.
    if ((tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm) {
      // Already initialised in this process (its thread count is fixed at initialisation).
      if (!(await tf.setBackend('wasm'))) throw new BackendError('backend "wasm" did not initialise', { kind: 'failure' });
    } else {
      // Emscripten's glue adds process-wide handlers that turn the program's own later errors into
      // a tfjs crash (exit code 7): the process keeps the handlers it had.
      await withProcessListenersKept(async () => {
        if (threads > 1 && (await startThreadedWasm(wasm, patches === 'all' ? 1 : threads, notes))) {
          // The pthreads build runs. With our kernels, tfjs's own pool stays at one thread (its idle
          // workers spin, which slowed an MLP step by 40%) and our kernels get their own threads below.
        } else {
          tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
          if (!(await tf.setBackend('wasm'))) throw new BackendError('backend "wasm" did not initialise', { kind: 'failure' });
        }
      });
      // Its dispose removes every such handler it saw at initialisation, the program's included.
      const module = (tf.backend() as unknown as { wasm: { tfjs: { dispose: () => void } } }).wasm;
      module.tfjs.dispose = keepingProcessListeners(module.tfjs.dispose);
    }
    notes.push(...(await installWasmKernels(patches, threads, spawnNodeKernelWorkers, true)));
    return true;
  } catch (error) {
    if (error instanceof BackendError) throw error;
    notes.push(`@tensorflow/tfjs-backend-wasm: failed (${(error as Error).message.split('\n')[0]})`);
    return false;
  }
}

/** tfjs-backend-wasm's pthreads build in Node (see prepareWasmThreadsForNode); false with a note when it cannot start. */
async function startThreadedWasm(wasm: typeof import('@tensorflow/tfjs-backend-wasm'), threads: number, notes: string[]): Promise<boolean> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const restore = prepareWasmThreadsForNode(threads);
  let ok = false;
  try {
    ok = await quietly(() => tf.setBackend('wasm'));
  } catch {
    ok = false;
  } finally {
    restore();
  }
  if (!ok) notes.push('wasm threads: the multi-threaded build did not start; using one thread');
  else {
    // Emscripten's pthread workers would keep Node running after the program is done.
    const pthread = (tf.backend() as unknown as { wasm: { PThread?: { unusedWorkers: { unref?: () => void }[]; runningWorkers: { unref?: () => void }[] } } })
      .wasm.PThread;
    for (const worker of [...(pthread?.unusedWorkers ?? []), ...(pthread?.runningWorkers ?? [])]) worker.unref?.();
  }
  return ok;
}

/** WebGPU through Dawn (see `InitBackendOptions.backend`); a BackendError with the reason and the fix when it cannot start. */
async function useWebGpu(notes: string[]): Promise<WebGpuAdapterReport> {
  // navigator.gpu must exist before tfjs-backend-webgpu is imported.
  const adapter = await prepareNodeWebGpu(notes);
  try {
    await quietly(() => import('@tensorflow/tfjs-backend-webgpu'));
  } catch (error) {
    if (!isMissingModule(error)) throw error;
    throw webGpuUnavailableError(
      'package',
      '@tensorflow/tfjs-backend-webgpu is not installed: it is an optional peer of @fmnist/backend',
      'npm i @tensorflow/tfjs-backend-webgpu',
      'input',
    );
  }
  // tfjs falls back to another backend silently when this one fails to start.
  if (!(await tf.setBackend('webgpu'))) {
    throw webGpuUnavailableError(
      'start',
      `tfjs-backend-webgpu did not initialise on the ${adapter.dawnBackend} adapter ${adapter.device || adapter.description}`,
      "use another backend: initBackend({ backend: 'wasm' }), --backend wasm",
    );
  }
  guardSyncReads(tf.backend());
  quietTimestampWarning(tf.backend());
  return adapter;
}

/**
 * Chooses, initialises and prepares the tfjs backend, and says what was chosen and why.
 * A missing or broken optional backend is a note, never a crash; an explicit request that cannot
 * be met is a BackendError.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const requested = options.backend ?? (process.env.FMNIST_BACKEND as BackendChoice | undefined) ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(requested)) {
    throw new BackendError(`backend: expected ${BACKEND_CHOICES.slice(0, -1).join(', ')} or ${BACKEND_CHOICES.at(-1)}, got ${JSON.stringify(requested)}`);
  }
  if (options.winograd !== undefined) setWinograd(options.winograd);
  const notes: string[] = [];
  let reason = '';
  let pkg = '';
  let webgpu: WebGpuAdapterReport | null = null;
  if (requested === 'webgpu') {
    webgpu = await useWebGpu(notes);
    pkg = '@tensorflow/tfjs-backend-webgpu';
    reason = `requested; ${webgpu.software ? 'a software' : 'a hardware'} adapter on Dawn's ${webgpu.dawnBackend} backend`;
  }
  if (requested === 'auto' || requested === 'tensorflow') {
    if (await tryNative('@tensorflow/tfjs-node-gpu', notes)) {
      pkg = '@tensorflow/tfjs-node-gpu';
      reason = 'tfjs-node-gpu is installed and uses the GPU';
    } else if (await tryNative('@tensorflow/tfjs-node', notes)) {
      pkg = '@tensorflow/tfjs-node';
      reason = 'tfjs-node (native TensorFlow) is installed';
    } else if (requested === 'tensorflow') {
      throw new BackendError(`backend tensorflow is not available: ${notes.join('; ')}. Install @tensorflow/tfjs-node (see the @fmnist/backend README)`);
    }
  }
  if (!pkg && (requested === 'auto' || requested === 'wasm')) {
    if (await useWasm(options, notes)) {
      pkg = '@tensorflow/tfjs-backend-wasm';
      reason = requested === 'wasm' ? 'requested' : 'no native TensorFlow; wasm (XNNPACK) with our training kernels is the fastest portable backend';
    } else if (requested === 'wasm') {
      throw new BackendError(`backend wasm is not available: ${notes.join('; ')}`);
    }
  }
  if (!pkg) {
    await import('@tensorflow/tfjs-backend-cpu');
    // tfjs-backend-cpu greets Node users with a banner on first use; we said why we chose it.
    if (!(await quietly(() => tf.setBackend('cpu')))) throw new BackendError('backend cpu did not initialise');
    // It prints the banner on its first tensor; we already said why cpu was chosen.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    registerCpuKernels();
    pkg = '@tensorflow/tfjs-backend-cpu';
    reason = requested === 'cpu' ? 'requested' : 'no faster backend could be loaded';
  }
  await tf.ready();
  const name = tf.getBackend() as BackendName;
  const native = tf.backend() as unknown as NativeBackend;
  return {
    name,
    requested,
    package: pkg,
    version: tf.version_core,
    gpu: (name === 'tensorflow' && native.isUsingGpuDevice === true) || (name === 'webgpu' && webgpu?.software === false),
    threads:
      name === 'wasm'
        ? Math.max(wasmKernelThreads(), (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount())
        : name === 'tensorflow'
          ? cpus().length
          : 1,
    simd: name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false,
    reason,
    notes,
    patchedKernels: name === 'wasm' ? patchedKernels() : [],
    kernelBuild: name === 'wasm' && patchedKernels().length > 0 ? wasmKernelBuild() : null,
    winograd: name === 'wasm' && wasmPatchLevel() === 'all' && wasmKernelBuild() !== 'js' && winogradEnabled(),
    webgpu: name === 'webgpu' ? webgpu : null,
  };
}
