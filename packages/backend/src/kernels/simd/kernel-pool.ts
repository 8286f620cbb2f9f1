import type { SimdKernels } from './simd-module';

export type SimdKernelName = keyof SimdKernels;

/**
 * Runs our SIMD kernels on several threads over tfjs-backend-wasm's shared memory (its pthreads
 * build): each worker instantiates the same module on the same memory, so a kernel call is just a
 * function index and numbers. Callers split the work into disjoint output ranges.
 */
export interface KernelPool {
  /** Threads taking part, the calling one included. */
  readonly threads: number;
  /** Runs fn once per argument list (chunks, shared out between the threads) and returns when all are done. */
  run(fn: SimdKernelName, argsList: number[][]): void;
}

/** What a worker needs: the compiled module, the memory, the pool's control block and the export names. */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  slot: number;
  names: string[];
}

/** Starts a worker running KERNEL_WORKER_SOURCE with this data; resolves once it is listening. */
export type SpawnKernelWorker = (data: KernelWorkerData) => Promise<void>;

// The pool's control block (bytes): i32s STATE (job sequence << 16 | next chunk), COMPLETED
// chunks, TOTAL chunks, FN index, NARGS, ERROR flag, GO (job sequence, what sleeping workers wait
// on); f64 arguments from byte 64, ARGS_PER_CHUNK per chunk.
const MAX_CHUNKS = 128;
const ARGS_PER_CHUNK = 16;
const BLOCK_BYTES = 64 + 8 * ARGS_PER_CHUNK * MAX_CHUNKS;
const STATE = 0;
const COMPLETED = 1;
const TOTAL = 2;
const FN = 3;
const NARGS = 4;
const ERROR = 5;
const GO = 6;

/**
 * Claims and runs chunks of job `seq` until none is left. Threads take chunks from a shared counter,
 * so a thread that starts late (a sleeping worker, a descheduled core) just takes fewer: the
 * calling thread never waits for a worker to wake up, only for chunks already taken.
 */
const CLAIM_LOOP = `
function claimChunks(i32, f64, fns, seq) {
  for (;;) {
    const s = Atomics.load(i32, ${STATE});
    const next = s & 0xffff;
    if (((s >>> 16) & 0xffff) !== seq || next >= Atomics.load(i32, ${TOTAL})) return;
    if (Atomics.compareExchange(i32, ${STATE}, s, s + 1) !== s) continue;
    const n = i32[${NARGS}];
    try {
      fns[i32[${FN}]](...f64.subarray(next * ${ARGS_PER_CHUNK}, next * ${ARGS_PER_CHUNK} + n));
    } catch (error) {
      Atomics.store(i32, ${ERROR}, 1);
    }
    Atomics.add(i32, ${COMPLETED}, 1);
    Atomics.notify(i32, ${COMPLETED});
  }
}
`;

/**
 * The worker's loop, as source (each platform starts it its own way, see kernel-pool-node.ts).
 * `data` is a KernelWorkerData; `ready()` is called once it is listening. It spins for up to 2 ms
 * before sleeping: in a training step the next job usually comes sooner.
 */
export const KERNEL_WORKER_SOURCE = `${CLAIM_LOOP}
function kernelWorker(data, ready) {
  const { module, memory, slot, names } = data;
  const abort = () => { throw new Error('fmnist SIMD kernel aborted'); };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  const fns = names.map((n) => exports[n]);
  const i32 = new Int32Array(memory.buffer, slot, 16);
  const f64 = new Float64Array(memory.buffer, slot + 64, ${ARGS_PER_CHUNK * MAX_CHUNKS});
  let seen = Atomics.load(i32, ${GO});
  ready();
  for (;;) {
    const until = performance.now() + 2;
    while (Atomics.load(i32, ${GO}) === seen && performance.now() < until);
    Atomics.wait(i32, ${GO}, seen);
    seen = Atomics.load(i32, ${GO});
    claimChunks(i32, f64, fns, seen);
  }
}
`;

type ClaimChunks = (i32: Int32Array, f64: Float64Array, fns: ((...a: number[]) => void)[], seq: number) => void;

/**
 * Starts `workers` kernel workers on this memory. `malloc` allocates their control block on the
 * wasm heap (shared, so every thread sees it; it lives as long as the backend). `wait` says
 * whether this thread may block in Atomics.wait (Node's main thread may, a browser's may not).
 */
export async function startKernelPool(kernels: SimdKernels, module: WebAssembly.Module, memory: WebAssembly.Memory, workers: number, spawn: SpawnKernelWorker, malloc: (bytes: number) => number, wait: boolean): Promise<KernelPool> {
  const names = Object.keys(kernels).filter((k) => typeof (kernels as unknown as Record<string, unknown>)[k] === 'function');
  const fns = names.map((n) => (kernels as unknown as Record<string, (...a: number[]) => void>)[n]);
  // The same claim loop on this thread, built from the workers' source when a pool starts (not at
  // import: a page whose CSP forbids eval then only loses the threads).
  const claimChunks = new Function(`${CLAIM_LOOP}\nreturn claimChunks;`)() as ClaimChunks;
  const slot = malloc(BLOCK_BYTES) >>> 0;
  new Int32Array(memory.buffer, slot, 16).fill(0);
  await Promise.all(Array.from({ length: workers }, () => spawn({ module, memory, slot, names })));
  let seq = 0;
  return {
    threads: workers + 1,
    run(fn, argsList) {
      if (argsList.length > MAX_CHUNKS) throw new Error(`kernel pool: ${argsList.length} chunks, at most ${MAX_CHUNKS}`);
      // Views are made per job: a shared memory that grew has a new, longer buffer.
      const i32 = new Int32Array(memory.buffer, slot, 16);
      const f64 = new Float64Array(memory.buffer, slot + 64, ARGS_PER_CHUNK * MAX_CHUNKS);
      seq = (seq + 1) & 0xffff;
      argsList.forEach((args, i) => f64.set(args, i * ARGS_PER_CHUNK));
      i32[FN] = names.indexOf(fn);
      i32[NARGS] = Math.max(...argsList.map((a) => a.length));
      i32[TOTAL] = argsList.length;
      i32[COMPLETED] = 0;
      i32[ERROR] = 0;
      Atomics.store(i32, STATE, seq << 16);
      Atomics.store(i32, GO, seq);
      // A spinning worker sees the store; a sleeping one needs the notify.
      Atomics.notify(i32, GO);
      claimChunks(i32, f64, fns, seq);
      // Only chunks a worker has already taken remain: spin for them, sleep only if one is slow.
      const until = performance.now() + 5;
      for (;;) {
        const done = Atomics.load(i32, COMPLETED);
        if (done >= argsList.length) break;
        if (wait && performance.now() > until) Atomics.wait(i32, COMPLETED, done, 100);
      }
      if (i32[ERROR]) throw new Error(`SIMD kernel ${fn} failed in a worker thread`);
    },
  };
}

/**
 * Chunks per thread that callers aim for: with fewer, the thread that finishes first idles while
 * the other ends its last chunk (2 chunks per thread lost ~25% of a VGG step to that).
 */
const CHUNKS_PER_THREAD = 16;

/** How many chunks to split a job into for this many threads (1: no split). */
export function chunkCount(threads: number): number {
  return threads > 1 ? Math.min(MAX_CHUNKS, CHUNKS_PER_THREAD * threads) : 1;
}

/** Splits [0, total) into up to `parts` ranges [start, count], starts aligned to `align`. */
export function splitRange(total: number, parts: number, align: number): [number, number][] {
  const chunk = Math.ceil(total / parts / align) * align;
  const out: [number, number][] = [];
  for (let start = 0; start < total; start += chunk) out.push([start, Math.min(chunk, total - start)]);
  return out;
}
