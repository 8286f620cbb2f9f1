import { BackendError } from './backend-error';
import { noAdapterError, webGpuUnavailableError } from './webgpu-node-unavailable';

/** Dawn's backends (the `webgpu` package's `backend=` flag) that `initBackend` tries. */
export type DawnBackend = 'vulkan' | 'opengles' | 'metal' | 'd3d12';

/** The WebGPU adapter that `initBackend({ backend: 'webgpu' })` got in Node, as Dawn reports it. */
export interface WebGpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** The Dawn backend it runs on. */
  dawnBackend: DawnBackend;
  /** The adapter says it is a fallback adapter. */
  isFallbackAdapter: boolean;
  /**
   * A software rasteriser: a fallback adapter, or one whose names say llvmpipe, lavapipe,
   * softpipe or SwiftShader (Mesa's llvmpipe over OpenGL ES reports `isFallbackAdapter: false`).
   */
  software: boolean;
  /** The adapter's `limits.maxBufferSize` (bytes). */
  maxBufferSize: number;
  /** The adapter's `limits.maxStorageBufferBindingSize` (bytes). */
  maxStorageBufferBindingSize: number;
  /** On a software adapter, `SOFTWARE_ADAPTER_NOTE`; null on hardware. */
  note: string | null;
}

interface DawnAdapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

interface DawnGpu {
  requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null>;
}

/** The `webgpu` package's API (Dawn's Node bindings). */
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: object;
}

const DAWN_BACKENDS: readonly DawnBackend[] = ['vulkan', 'opengles', 'metal', 'd3d12'];

/**
 * The order Dawn's backends are tried on a platform: Vulkan then OpenGL ES on Linux, Metal on
 * macOS, D3D12 on Windows; only the one `DAWNNODE_BACKEND` names when it is set (Dawn's own
 * variable: `DAWNNODE_BACKEND=opengles` skips a Vulkan driver known to fail, and its warnings).
 */
export function dawnBackendOrder(platform: NodeJS.Platform = process.platform, env: Record<string, string | undefined> = process.env): DawnBackend[] {
  const chosen = env.DAWNNODE_BACKEND?.trim().toLowerCase();
  if (chosen) {
    if (!(DAWN_BACKENDS as readonly string[]).includes(chosen))
      throw new BackendError(`DAWNNODE_BACKEND: expected one of ${DAWN_BACKENDS.join(', ')}, got ${JSON.stringify(env.DAWNNODE_BACKEND)}`);
    return [chosen as DawnBackend];
  }
  if (platform === 'darwin') return ['metal'];
  if (platform === 'win32') return ['d3d12'];
  return ['vulkan', 'opengles'];
}

/** Whether an adapter is a software rasteriser (see `WebGpuAdapterReport.software`). */
export function isSoftwareAdapter(info: DawnAdapter['info']): boolean {
  return (
    info.isFallbackAdapter === true || /llvmpipe|lavapipe|softpipe|swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`)
  );
}

/** What a software adapter's report says (`WebGpuAdapterReport.note`). */
export const SOFTWARE_ADAPTER_NOTE = 'a software adapter (no GPU found): results are correct but slow, the GPU work runs on the CPU';

// A variable specifier keeps bundlers from trying to resolve the optional package.
async function importDawn(): Promise<DawnModule> {
  const specifier = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    if (isMissingModule(error))
      throw webGpuUnavailableError('package', 'the webgpu package (Dawn) is not installed: it is an optional peer of @fmnist/backend', 'npm i webgpu', 'input');
    throw webGpuUnavailableError(
      'package',
      `the webgpu package failed to load: ${message}`,
      process.platform === 'linux'
        ? 'npm i webgpu again; its Linux binary needs glibc 2.34 or later'
        : process.platform === 'darwin'
          ? "npm i webgpu again; webgpu 0.6.2's macOS binary needs macOS 26"
          : 'npm i webgpu again',
    );
  }
}

/** Whether an import failed because the module is not installed (the loader's words, in the error or its causes). */
export function isMissingModule(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(e.message)) return true;
  }
  return false;
}

let prepared: WebGpuAdapterReport | undefined;

/** The adapter that `prepareNodeWebGpu` set up in this process, if any. */
export function nodeWebGpuAdapter(): WebGpuAdapterReport | undefined {
  return prepared;
}

/**
 * Makes WebGPU available to tfjs in Node, before `@tensorflow/tfjs-backend-webgpu` is imported:
 * loads `webgpu` (an optional peer), puts its classes (`GPUBufferUsage`, …) on `globalThis` where
 * absent, finds an adapter trying Dawn's backends in `dawnBackendOrder()` (on Linux, OpenGL ES
 * runs on the surfaceless EGL platform: `EGL_PLATFORM=surfaceless` is set when unset), and
 * defines `navigator.gpu` (Node 21+ has a read-only `navigator`: the property is defined on it).
 * tfjs asks for an adapter with `powerPreference` only: on OpenGL ES, `navigator.gpu.requestAdapter`
 * adds `featureLevel: 'compatibility'`. Called by `initBackend`, never on import; once per process.
 * Throws a one-line BackendError when the package is missing or no backend gives an adapter, whose
 * reason and fix `webGpuUnavailable(error)` gives; a backend tried without an adapter is a note.
 */
export async function prepareNodeWebGpu(notes: string[]): Promise<WebGpuAdapterReport> {
  if (prepared) return prepared;
  const dawn = await importDawn();
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const tried: string[] = [];
  const order = dawnBackendOrder();
  // Mesa's Vulkan device-select layer loads libwayland, which prints "XDG_RUNTIME_DIR is invalid or
  // not set" where no session sets it (servers, containers, CI); NODEVICE_SELECT=1 (the layer's own
  // switch) leaves it out. It only reorders GPUs for Mesa drivers: Dawn lists every adapter anyway.
  if (process.platform === 'linux' && order.includes('vulkan') && !process.env.XDG_RUNTIME_DIR && process.env.NODEVICE_SELECT === undefined)
    process.env.NODEVICE_SELECT = '1';
  for (const backend of order) {
    if (backend === 'opengles' && process.platform === 'linux' && process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
    const featureLevel = backend === 'opengles' ? 'compatibility' : 'core';
    let adapter: DawnAdapter | null = null;
    let gpu: DawnGpu;
    try {
      gpu = dawn.create([`backend=${backend}`]);
      adapter = await gpu.requestAdapter({ featureLevel });
    } catch (error) {
      tried.push(`${backend} backend: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${backend} backend: no adapter`);
      continue;
    }
    const request = gpu.requestAdapter.bind(gpu);
    Object.defineProperty(gpu, 'requestAdapter', {
      value: (options: Record<string, unknown> = {}) => request({ ...options, featureLevel }),
      configurable: true,
    });
    defineNavigatorGpu(gpu);
    notes.push(...tried.map((t) => `webgpu on Dawn's ${t}`));
    const { info, limits } = adapter;
    const software = isSoftwareAdapter(info);
    prepared = {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      dawnBackend: backend,
      isFallbackAdapter: info.isFallbackAdapter === true,
      software,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      note: software ? SOFTWARE_ADAPTER_NOTE : null,
    };
    return prepared;
  }
  throw noAdapterError(tried);
}

/** The one line a synchronous read of a GPU tensor throws in Node (see `guardSyncReads`). */
export const SYNC_READ_ERROR =
  'dataSync()/arraySync() cannot read a tensor on the GPU in Node (tfjs reads synchronously through an OffscreenCanvas, which Node lacks): use await data() or await array()';

const guarded = new WeakSet<object>();

/**
 * tfjs's WebGPU backend reads a GPU tensor synchronously (`dataSync`, `arraySync`) through an
 * OffscreenCanvas, which Node lacks: it fails with "OffscreenCanvas is not defined". This makes that
 * failure a BackendError saying what to use instead; reads that work (values already on the CPU)
 * are unchanged. Installed by `initBackend` on the WebGPU backend in Node only.
 */
export function guardSyncReads(backend: { readSync(dataId: object): unknown }): void {
  if (guarded.has(backend)) return;
  guarded.add(backend);
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    try {
      return readSync(dataId);
    } catch (error) {
      if (error instanceof ReferenceError && /OffscreenCanvas/.test(error.message)) throw new BackendError(SYNC_READ_ERROR, { kind: 'failure' });
      throw error;
    }
  };
}

/**
 * Without the adapter's 'timestamp-query' feature, tfjs's WebGPU backend warns once, at the first
 * `tf.time`/`tf.profile`, to start Chrome with `--enable-dawn-features=allow_unsafe_apis`: advice
 * for a browser, wrong in Node. In Node this marks that warning as given (tfjs's own
 * `hasTimestampQueryWarned` flag); kernel times are then reported as unavailable, as before
 * (`@fmnist/profiler`'s `kernelTimesAvailable()`). A backend with the feature is left as it is.
 */
export function quietTimestampWarning(backend: object): void {
  const state = backend as { supportTimestampQuery?: boolean; hasTimestampQueryWarned?: boolean };
  if (state.supportTimestampQuery === false) state.hasTimestampQueryWarned = true;
}

function defineNavigatorGpu(gpu: DawnGpu): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}
