import { BROWSER_BACKEND_CHOICES, type BrowserBackendChoice, type BrowserBackendName } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import { setWinograd } from './kernels/conv2d-winograd';
import { BackendError } from './backend-error';
import { spawnBrowserKernelWorkers } from './kernels/simd/kernel-pool-browser';
import { installWasmKernels, patchedKernels, registerCpuKernels, type WasmPatchLevel, wasmKernelThreads } from './patch-wasm';

export type { BrowserBackendChoice, BrowserBackendName } from '@fmnist/core';

export interface InitBrowserBackendOptions {
  /** `'auto'` tries WebGPU, then WebGL, then wasm, then cpu. Default `'auto'`. */
  backend?: BrowserBackendChoice;
  /**
   * Where the tfjs-backend-wasm `.wasm` files are served: a URL prefix, or one URL per file name
   * (with Vite: `import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'`).
   * Default: next to the page.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * wasm threads (needs a cross-origin isolated page). Default: tfjs's choice, half the logical
   * cores (with one core busy elsewhere, 2 threads trained 1.2-3x slower than 1 on a 2-core machine).
   * With our kernels, they run on workers of ours, started from a Blob URL.
   */
  threads?: number;
  /** Which of our wasm kernels to register. Default `'all'`. */
  wasmPatches?: WasmPatchLevel;
  /** 3x3 stride-1 convolutions by Winograd F(4x4, 3x3) on wasm. Default true. */
  winograd?: boolean;
}

export interface BrowserBackendInfo {
  name: BrowserBackendName;
  requested: BrowserBackendChoice;
  package: string;
  version: string;
  /** True for WebGPU and WebGL. */
  gpu: boolean;
  threads: number;
  /** Why this one was chosen. */
  reason: string;
  /** One line per backend that was tried and skipped. */
  notes: string[];
  patchedKernels: string[];
}

const PACKAGES: Record<BrowserBackendName, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Imports an optional backend package (WebGPU, WebGL: optional peers, which Node users need not
 * install); missing, it is one line naming the package.
 */
async function optionalBackend(name: 'webgpu' | 'webgl', load: () => Promise<unknown>): Promise<void> {
  try {
    await load();
  } catch (error) {
    // The loader's words for a missing module (Node, Vite, browsers), in the error or its causes.
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
    if (!messages.some((m) => /Cannot find (module|package)|Failed to (resolve|fetch)|ERR_MODULE_NOT_FOUND/i.test(m))) throw error;
    throw new BackendError(`not installed: it is an optional peer of @fmnist/backend (npm i ${PACKAGES[name]})`, { kind: 'failure' });
  }
}

/** Starts a backend; returns notes (wasm: how its threads went). */
async function activate(name: BrowserBackendName, options: InitBrowserBackendOptions): Promise<string[]> {
  let restoreCores = () => {};
  // With our kernels and more than one thread wanted, tfjs's pool stays at one thread and our
  // kernels get the workers (see kernel-pool.ts): they do the GEMMs and convolutions, XNNPACK's
  // pool would only serve what is left.
  let kernelThreads = 1;
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
    if (!gpu) throw new BackendError('navigator.gpu is missing (no WebGPU in this browser)', { kind: 'failure' });
    // Ask first: tfjs would log a stack trace for a browser with WebGPU but no adapter.
    if (!(await gpu.requestAdapter())) throw new BackendError('no WebGPU adapter (GPU blocklisted or absent)', { kind: 'failure' });
    await optionalBackend(name, () => import('@tensorflow/tfjs-backend-webgpu'));
  } else if (name === 'webgl') {
    const renderer = webglRenderer();
    if (renderer === undefined) throw new BackendError('no WebGL context', { kind: 'failure' });
    // A software rasteriser trains 10-50x slower than wasm (measured in headless Chromium): skip it in auto.
    if (options.backend !== 'webgl' && /swiftshader|llvmpipe|software/i.test(renderer))
      throw new BackendError(`software renderer (${renderer}); wasm is faster`, { kind: 'failure' });
    await optionalBackend(name, () => import('@tensorflow/tfjs-backend-webgl'));
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths as string);
    const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', isolated && options.threads !== 1);
    // tfjs's default: half the logical cores.
    const wanted = options.threads ?? Math.max(1, Math.floor((globalThis.navigator?.hardwareConcurrency ?? 2) / 2));
    if (isolated && (options.wasmPatches ?? 'all') === 'all' && wanted > 1) {
      kernelThreads = wanted;
      wasm.setThreadsCount(1);
    } else if (isolated && options.threads !== undefined && options.threads > 1) {
      wasm.setThreadsCount(options.threads);
      // tfjs sizes its pool as min(requested, logical cores / 2), assuming hyper-threading: an
      // explicit request is honoured by reporting enough cores while the backend starts.
      restoreCores = reportCores(options.threads * 2);
    }
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  try {
    if (!(await tf.setBackend(name))) throw new BackendError(`backend "${name}" did not initialise`, { kind: 'failure' });
  } finally {
    restoreCores();
  }
  await tf.ready();
  // WebGL can "initialise" on a blocklisted or software context and fail on first use: try one op.
  tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1))).dataSync();
  // Our kernels are compiled asynchronously there: browsers refuse larger synchronous compiles on
  // the main thread. A browser's main thread may not block in Atomics.wait: it spins.
  if (name === 'wasm') return installWasmKernels(options.wasmPatches ?? 'all', kernelThreads, spawnBrowserKernelWorkers, false);
  if (name === 'cpu') registerCpuKernels();
  return [];
}

/** Overrides navigator.hardwareConcurrency on the instance; returns the undo. */
function reportCores(cores: number): () => void {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return () => {};
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  } catch {
    return () => {};
  }
  return () => {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}

/** The GPU behind WebGL (unmasked when the browser allows), or undefined without WebGL. */
function webglRenderer(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const gl = (document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

/**
 * The browser's `initBackend`: WebGPU, then WebGL, then wasm (with our training kernels), then
 * cpu. Says what was chosen and why; a backend that cannot start is a note, an explicit request
 * that cannot be met is a BackendError.
 */
export async function initBackend(options: InitBrowserBackendOptions = {}): Promise<BrowserBackendInfo> {
  const requested = options.backend ?? 'auto';
  const order: BrowserBackendName[] = requested === 'auto' ? BROWSER_BACKEND_CHOICES.filter((b) => b !== 'auto') : [requested];
  if (!(BROWSER_BACKEND_CHOICES as readonly string[]).includes(requested)) {
    throw new BackendError(
      `backend: expected ${BROWSER_BACKEND_CHOICES.slice(0, -1).join(', ')} or ${BROWSER_BACKEND_CHOICES.at(-1)}, got ${JSON.stringify(requested)}`,
    );
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new BackendError(`threads: expected a positive integer, got ${options.threads}`);
  }
  if (options.winograd !== undefined) setWinograd(options.winograd);
  const notes: string[] = [];
  let skipped = 0;
  for (const name of order) {
    try {
      notes.push(...(await activate(name, options)));
    } catch (error) {
      const note = `${PACKAGES[name]}: ${(error as Error).message.split('\n')[0]}`;
      if (requested !== 'auto') throw new BackendError(`backend ${name} is not available: ${note}`);
      notes.push(note);
      skipped++;
      continue;
    }
    const wasm = name === 'wasm' ? await import('@tensorflow/tfjs-backend-wasm') : undefined;
    return {
      name,
      requested,
      package: PACKAGES[name],
      version: tf.version_core,
      gpu: name === 'webgpu' || name === 'webgl',
      threads: wasm ? Math.max(wasmKernelThreads(), wasm.getThreadsCount()) : 1,
      reason:
        requested !== 'auto'
          ? 'requested'
          : skipped === 0
            ? `${name} is the fastest backend this browser offers`
            : `first backend that started (${skipped} skipped)`,
      notes,
      patchedKernels: name === 'wasm' ? patchedKernels() : [],
    };
  }
  throw new BackendError(`no tfjs backend could start: ${notes.join('; ')}`);
}
