import { BackendError } from '../../backend-error';
import { POOL_MAX_ARGS, type SimdKernels } from './kernel-abi';

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
  /** For tests, where the platform allows it: stops worker `index` (1..threads-1) `afterMs` from now. */
  terminateWorker?(index: number, afterMs: number): void;
}

/** What a worker needs: the compiled module, the memory, the pool's control block, the export names and its index (1-based). */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  slot: number;
  names: string[];
  index: number;
}

/** The started workers, as their platform holds them. */
export interface KernelWorkers {
  /** For tests: stops worker `index` (1-based) once it is inside a job, `afterMs` from now at the earliest, as a crash would. */
  terminate?(index: number, afterMs: number): void;
}

/**
 * Starts `count` workers running KERNEL_WORKER_SOURCE, with indexes 1..count; resolves once all are
 * listening. A worker that dies later must be reported in shared memory (`markDeadSource`),
 * because the calling thread waits synchronously and hears no events while it does.
 */
export type SpawnKernelWorkers = (data: Omit<KernelWorkerData, 'index'>, count: number) => Promise<KernelWorkers>;

// The pool's control block (bytes): i32s STATE (job sequence << 16 | next chunk), COMPLETED
// chunks, TOTAL chunks, FN index, NARGS, ERROR flag, GO (job sequence, what sleeping workers wait
// on), DEAD (bit w: worker w has died), CLAIM[w] (BUSY | sequence while worker w is in a job's
// claim loop); f64 arguments from byte HEADER_BYTES, ARGS_PER_CHUNK per chunk.
const MAX_CHUNKS = 128;
const MAX_WORKERS = 31;
const ARGS_PER_CHUNK = POOL_MAX_ARGS;
const HEADER_BYTES = 256;
const BLOCK_BYTES = HEADER_BYTES + 8 * ARGS_PER_CHUNK * MAX_CHUNKS;
const STATE = 0;
const COMPLETED = 1;
const TOTAL = 2;
const FN = 3;
const NARGS = 4;
const ERROR = 5;
const GO = 6;
const DEAD = 7;
const CLAIM = 8;
const BUSY = 0x10000;
/** A STATE whose chunk counter is past any job's chunks: nobody can claim under it. */
const CLOSED = 0xffff;

/**
 * Claims and runs chunks of job `seq` until none is left. Threads take chunks from a shared counter,
 * so a thread that starts late (a sleeping worker, a descheduled core) just takes fewer: the
 * calling thread never waits for a worker to wake up, only for chunks already taken. CLAIM[who]
 * says the thread is inside job `seq`, so a worker that dies holding a chunk can be told from one
 * that died idle.
 */
const CLAIM_LOOP = `
function claimChunks(i32, f64, fns, seq, who) {
  Atomics.store(i32, ${CLAIM} + who, ${BUSY} | seq);
  for (;;) {
    const s = Atomics.load(i32, ${STATE});
    const next = s & 0xffff;
    if (((s >>> 16) & 0xffff) !== seq || next >= Atomics.load(i32, ${TOTAL})) break;
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
  Atomics.store(i32, ${CLAIM} + who, 0);
}
`;

/** Source of `markDead(i32, index)`: what a platform runs when worker `index` dies after start-up. */
export const MARK_DEAD_SOURCE = `
function markDead(i32, index) {
  Atomics.or(i32, ${DEAD}, 1 << index);
  Atomics.notify(i32, ${COMPLETED});
}
`;

/** Source of `isBusy(i32, index)`: whether worker `index` is inside a job's claim loop (test hooks kill it there). */
export const IS_BUSY_SOURCE = `
function isBusy(i32, index) {
  return (Atomics.load(i32, ${CLAIM} + index) & ${BUSY}) !== 0;
}
`;

/** Bytes of the control block that workers view as i32 (for markDead). */
export const CONTROL_I32 = HEADER_BYTES / 4;

/**
 * The worker's loop, as source (each platform starts it its own way, see kernel-pool-node.ts).
 * `data` is a KernelWorkerData; `ready()` is called once it is listening. It spins for up to 2 ms
 * before sleeping: in a training step the next job usually comes sooner.
 */
export const KERNEL_WORKER_SOURCE = `${CLAIM_LOOP}
function kernelWorker(data, ready) {
  const { module, memory, slot, names, index } = data;
  const abort = () => { throw new Error('fmnist SIMD kernel aborted'); };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  const fns = names.map((n) => exports[n]);
  const i32 = new Int32Array(memory.buffer, slot, ${HEADER_BYTES / 4});
  const f64 = new Float64Array(memory.buffer, slot + ${HEADER_BYTES}, ${ARGS_PER_CHUNK * MAX_CHUNKS});
  let seen = Atomics.load(i32, ${GO});
  ready();
  for (;;) {
    const until = performance.now() + 2;
    while (Atomics.load(i32, ${GO}) === seen && performance.now() < until);
    Atomics.wait(i32, ${GO}, seen);
    seen = Atomics.load(i32, ${GO});
    claimChunks(i32, f64, fns, seen, index);
  }
}
`;

export type ClaimChunks = (i32: Int32Array, f64: Float64Array, fns: ((...a: number[]) => void)[], seq: number, who: number) => void;

/** The claim loop, built from the workers' source (at run time: a page whose CSP forbids eval then only loses the threads). */
export function buildClaimChunks(): ClaimChunks {
  return new Function(`${CLAIM_LOOP}\nreturn claimChunks;`)() as ClaimChunks;
}

/**
 * The writes that publish a job, in the order that keeps a late worker of the previous job out:
 * close STATE first (a claim under the old sequence now fails its compare-and-swap), then write
 * the job, then open STATE under the new sequence (a seq-cst store, so whoever reads it sees the
 * job), then wake the workers. Exported as steps for the test that interleaves a late claim.
 */
export function jobSteps(i32: Int32Array, f64: Float64Array, seq: number, fn: number, argsList: number[][]): (() => void)[] {
  return [
    () => Atomics.store(i32, STATE, (seq << 16) | CLOSED),
    () => argsList.forEach((args, i) => f64.set(args, i * ARGS_PER_CHUNK)),
    () => {
      i32[FN] = fn;
      i32[NARGS] = Math.max(...argsList.map((a) => a.length));
      i32[ERROR] = 0;
      Atomics.store(i32, COMPLETED, 0);
      Atomics.store(i32, TOTAL, argsList.length);
    },
    () => Atomics.store(i32, STATE, seq << 16),
    () => {
      Atomics.store(i32, GO, seq);
      // A spinning worker sees the store; a sleeping one needs the notify.
      Atomics.notify(i32, GO);
    },
  ];
}

/** A fresh control block's views over `buffer` at `slot` (tests use a plain SharedArrayBuffer). */
export function controlViews(buffer: ArrayBufferLike, slot: number): { i32: Int32Array; f64: Float64Array } {
  return { i32: new Int32Array(buffer, slot, HEADER_BYTES / 4), f64: new Float64Array(buffer, slot + HEADER_BYTES, ARGS_PER_CHUNK * MAX_CHUNKS) };
}

export const CONTROL_BLOCK_BYTES = BLOCK_BYTES;

const NONE_DEAD: number[] = [];

/** Workers (bits of DEAD) that died inside job `seq` (their claim still says so). */
function deadInJob(i32: Int32Array, seq: number): number[] {
  const dead = Atomics.load(i32, DEAD);
  if (dead === 0) return NONE_DEAD;
  const out: number[] = [];
  for (let w = 1; w <= MAX_WORKERS; w++) {
    if (!(dead & (1 << w))) continue;
    if (Atomics.load(i32, CLAIM + w) === (BUSY | seq)) out.push(w);
  }
  return out;
}

/**
 * Starts `workers` kernel workers on this memory. `malloc` allocates their control block on the
 * wasm heap (shared, so every thread sees it; it lives as long as the backend). `wait` says
 * whether this thread may block in Atomics.wait (Node's main thread may, a browser's may not).
 */
export async function startKernelPool(
  kernels: SimdKernels,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  workers: number,
  spawn: SpawnKernelWorkers,
  malloc: (bytes: number) => number,
  wait: boolean,
): Promise<KernelPool> {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    throw new BackendError(`kernel pool: expected 1 to ${MAX_WORKERS} workers, got ${workers}`);
  const names = Object.keys(kernels).filter((k) => typeof (kernels as unknown as Record<string, unknown>)[k] === 'function');
  const fns = names.map((n) => (kernels as unknown as Record<string, (...a: number[]) => void>)[n]);
  const claimChunks = buildClaimChunks();
  const slot = malloc(BLOCK_BYTES) >>> 0;
  new Uint8Array(memory.buffer, slot, BLOCK_BYTES).fill(0);
  const handle = await spawn({ module, memory, slot, names }, workers);
  let seq = 0;
  return {
    threads: workers + 1,
    terminateWorker: handle.terminate ? (index, afterMs) => handle.terminate?.(index, afterMs) : undefined,
    run(fn, argsList) {
      if (argsList.length > MAX_CHUNKS) throw new BackendError(`kernel pool: ${argsList.length} chunks, at most ${MAX_CHUNKS}`, { kind: 'failure' });
      for (const args of argsList)
        if (args.length > ARGS_PER_CHUNK)
          throw new BackendError(`kernel pool: ${fn} called with ${args.length} arguments, at most POOL_MAX_ARGS = ${ARGS_PER_CHUNK}`, { kind: 'failure' });
      // Views are made per job: a shared memory that grew has a new, longer buffer.
      const { i32, f64 } = controlViews(memory.buffer, slot);
      seq = (seq % 0xfffe) + 1;
      for (const step of jobSteps(i32, f64, seq, names.indexOf(fn), argsList)) step();
      claimChunks(i32, f64, fns, seq, 0);
      // Only chunks a worker has already taken remain: spin for them, sleep only if one is slow.
      const until = performance.now() + 5;
      for (;;) {
        const done = Atomics.load(i32, COMPLETED);
        if (done >= argsList.length) break;
        const dead = deadInJob(i32, seq);
        if (dead.length > 0) {
          // Close the job and let the live workers finish the chunks they hold before reporting.
          Atomics.store(i32, STATE, (seq << 16) | CLOSED);
          for (let w = 1; w <= workers; w++) {
            if (dead.includes(w)) Atomics.store(i32, CLAIM + w, 0);
            else while (Atomics.load(i32, CLAIM + w) === (BUSY | seq));
          }
          throw new BackendError(
            `SIMD kernel ${fn}: kernel worker thread ${dead.join(', ')} died during the job; its results are lost (${workers - dead.length} of ${workers} workers left)`,
            { kind: 'failure' },
          );
        }
        if (wait && performance.now() > until) Atomics.wait(i32, COMPLETED, done, 100);
      }
      if (i32[ERROR]) throw new BackendError(`SIMD kernel ${fn} failed in a worker thread`, { kind: 'failure' });
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
