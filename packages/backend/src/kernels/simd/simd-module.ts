import { type KernelPool, type SpawnKernelWorkers, startKernelPool } from './kernel-pool';
import { SIMD_WASM, SIMD_WASM_RELAXED, SIMD_WASM_SHARED, SIMD_WASM_SHARED_RELAXED } from './simd-wasm';

/** C = A·B (+ bias) (ReLU) operands (assembly/gemm.ts): pointers are byte offsets, flags 0 or 1. */
type GemmArgs = [
  a: number,
  sam: number,
  sak: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  m: number,
  k: number,
  n: number,
  bias: number,
  relu: number,
  accumulate: number,
];

/** Our AssemblyScript SIMD kernels (assembly/), bound to one tfjs-backend-wasm memory. Pointers are byte offsets. */
export interface SimdKernels {
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    w2: number,
    m2: number,
    v2: number,
    n: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    eps: number,
    stepSize: number,
    sqrtC2: number,
    keep: number,
    l2: number,
  ): void;
  gemm(...args: GemmArgs): void;
  /** gemm with B's panels copied to `pack` first (gemmPackBytes() bytes, 16-byte aligned, one per concurrent call). */
  gemmPacked(...args: [...GemmArgs, pack: number]): void;
  gemmPackBytes(): number;
  batchNormInference(
    x: number,
    mean: number,
    variance: number,
    offset: number,
    scale: number,
    y: number,
    rows: number,
    c: number,
    eps: number,
    scratch: number,
  ): void;
  batchNormTrain(x: number, gamma: number, beta: number, y: number, mean: number, invStd: number, rows: number, c: number, eps: number, scratch: number): void;
  batchNormTrainGrad(
    dy: number,
    x: number,
    gamma: number,
    mean: number,
    invStd: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    rows: number,
    c: number,
    scratch: number,
  ): void;
  conv2dRows(
    xp: number,
    batch: number,
    hq: number,
    wq: number,
    cin: number,
    w: number,
    kh: number,
    kw: number,
    flip: number,
    out: number,
    cout: number,
    bias: number,
    relu: number,
  ): void;
  conv2dFilterGrad(
    xp: number,
    dyp: number,
    dw: number,
    batch: number,
    hx: number,
    wp: number,
    cin: number,
    oh: number,
    kh: number,
    kw: number,
    cout: number,
    ld: number,
  ): void;
  columnSum(x: number, out: number, rows: number, c: number, scratch: number): void;
  reluGrad(dy: number, x: number, dx: number, n: number): void;
  /** Rows r0 .. r0 + count of x [rows, cols] into out [cols, rows]. */
  transpose2d(x: number, out: number, rows: number, cols: number, r0: number, count: number): void;
  winogradConv(params: number, t0: number, count: number, scratch: number): void;
  winogradFilter(w: number, u: number, cin: number, cout: number, c0: number, cc: number, flip: number, tmp: number): void;
  winogradGradPrepare(params: number, t0: number, count: number, tmp: number): void;
  winogradGradFilter(s: number, dw: number, cin: number, cout: number, c0: number, cc: number, tmp: number): void;
  maxPoolGrad(dy: number, x: number, dx: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, fh: number, fw: number): void;
}

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
