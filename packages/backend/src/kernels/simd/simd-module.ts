import type { SimdKernels } from './kernel-abi';
import { type KernelPool, type SpawnKernelWorkers, startKernelPool } from './kernel-pool';
import { SIMD_WASM, SIMD_WASM_RELAXED, SIMD_WASM_SHARED, SIMD_WASM_SHARED_RELAXED } from './simd-wasm';

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();
const pools = new WeakMap<WebAssembly.Memory, KernelPool>();
const modules = new Map<boolean, WebAssembly.Module>();

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

const isShared = (memory: WebAssembly.Memory) => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** Which build of our kernels runs: with relaxed SIMD (fused multiply-add), plain SIMD, or none. */
export type SimdBuild = 'relaxed-simd' | 'simd';

let build: SimdBuild | undefined;

/**
 * Relaxed SIMD where the engine has it (Node 22+, Chrome 114+; Node 20 behind a V8 flag, which we
 * set: wasm features are read when a module is compiled), unless FMNIST_RELAXED_SIMD=0 asks for
 * plain SIMD's rounding (a multiply and an add, rounded twice).
 */
export function simdBuild(): SimdBuild {
  if (build) return build;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.FMNIST_RELAXED_SIMD === '0') {
    build = 'simd';
    return build;
  }
  const probe = bytes(SIMD_WASM_RELAXED);
  if (!WebAssembly.validate(probe)) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  build = WebAssembly.validate(probe) ? 'relaxed-simd' : 'simd';
  return build;
}

const source = (shared: boolean) => {
  const relaxed = simdBuild() === 'relaxed-simd';
  return bytes(shared ? (relaxed ? SIMD_WASM_SHARED_RELAXED : SIMD_WASM_SHARED) : relaxed ? SIMD_WASM_RELAXED : SIMD_WASM);
};

/**
 * Compiles the module for this memory ahead of use (browsers refuse to compile synchronously on the
 * main thread beyond a small size). False when the engine lacks wasm SIMD: callers then keep the
 * JS kernels.
 */
export async function prepareSimdKernels(memory: WebAssembly.Memory): Promise<boolean> {
  if (instances.has(memory)) return instances.get(memory) !== null;
  const shared = isShared(memory);
  try {
    const module = modules.get(shared) ?? (await WebAssembly.compile(source(shared)));
    modules.set(shared, module);
    const instance = await WebAssembly.instantiate(module, { env: { memory, abort: abort } });
    instances.set(memory, instance.exports as unknown as SimdKernels);
  } catch {
    instances.set(memory, null);
  }
  return instances.get(memory) !== null;
}

function abort(): never {
  throw new Error('fmnist SIMD kernel aborted');
}

/** The kernels for this memory, instantiating synchronously if `prepareSimdKernels` did not run; undefined without wasm SIMD. */
export function simdKernels(memory: WebAssembly.Memory): SimdKernels | undefined {
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    try {
      const shared = isShared(memory);
      const module = modules.get(shared) ?? new WebAssembly.Module(source(shared));
      modules.set(shared, module);
      kernels = new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as SimdKernels;
    } catch {
      kernels = null;
    }
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

/**
 * Starts `workers` extra threads for our kernels on a shared memory (tfjs-backend-wasm's pthreads
 * build). Needs prepareSimdKernels first. Returns the pool, or undefined when the memory is not
 * shared or SIMD is missing.
 */
export async function startSimdKernelPool(
  memory: WebAssembly.Memory,
  workers: number,
  spawn: SpawnKernelWorkers,
  malloc: (bytes: number) => number,
  wait: boolean,
): Promise<KernelPool | undefined> {
  const existing = pools.get(memory);
  if (existing) return existing;
  const kernels = simdKernels(memory);
  const module = modules.get(true);
  if (!kernels || !module || !isShared(memory) || workers < 1) return undefined;
  const pool = await startKernelPool(kernels, module, memory, workers, spawn, malloc, wait);
  pools.set(memory, pool);
  return pool;
}

/** The kernel pool started on this memory, if any. */
export function simdKernelPool(memory: WebAssembly.Memory): KernelPool | undefined {
  return pools.get(memory);
}
