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
  /** Runs fn once per argument list, the first on the calling thread, and returns when all are done. */
  run(fn: SimdKernelName, argsList: number[][]): void;
}

/** What a worker needs: the compiled module, the memory, its control slot and the export names. */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  slot: number;
  names: string[];
}

/** Starts a worker running KERNEL_WORKER_SOURCE with this data; resolves once it is listening. */
export type SpawnKernelWorker = (data: KernelWorkerData) => Promise<void>;

// A slot (bytes): i32 go sequence, i32 done sequence, i32 function index, i32 argument count,
// i32 error flag; f64 arguments from byte 32.
const SLOT_BYTES = 32 + 8 * 16;
const GO = 0;
const DONE = 1;
const FN = 2;
const NARGS = 3;
const ERROR = 4;

/**
 * The worker's loop, as source (each platform starts it its own way, see kernel-pool-node.ts).
 * `data` is a KernelWorkerData; `ready()` is called once it is listening. It spins briefly before
 * sleeping: most calls follow each other within microseconds in a training step.
 */
export const KERNEL_WORKER_SOURCE = `
function kernelWorker(data, ready) {
  const { module, memory, slot, names } = data;
  const abort = () => { throw new Error('fmnist SIMD kernel aborted'); };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
  const fns = names.map((n) => exports[n]);
  const i32 = new Int32Array(memory.buffer, slot, 8);
  const f64 = new Float64Array(memory.buffer, slot + 32, 16);
  let seen = Atomics.load(i32, ${GO});
  ready();
  for (;;) {
    const until = performance.now() + 2;
    while (Atomics.load(i32, ${GO}) === seen && performance.now() < until);
    Atomics.wait(i32, ${GO}, seen);
    const go = Atomics.load(i32, ${GO});
    if (go === seen) continue;
    seen = go;
    try {
      fns[i32[${FN}]](...f64.subarray(0, i32[${NARGS}]));
    } catch (error) {
      Atomics.store(i32, ${ERROR}, 1);
    }
    Atomics.store(i32, ${DONE}, seen);
    Atomics.notify(i32, ${DONE});
  }
}
`;

/**
 * Starts `workers` kernel workers on this memory. `malloc` allocates their control slots on the
 * wasm heap (shared, so both sides see them; they live as long as the backend). `wait` says whether
 * this thread may block in Atomics.wait (Node's main thread may, a browser's may not: it spins).
 */
export async function startKernelPool(kernels: SimdKernels, module: WebAssembly.Module, memory: WebAssembly.Memory, workers: number, spawn: SpawnKernelWorker, malloc: (bytes: number) => number, wait: boolean): Promise<KernelPool> {
  const names = Object.keys(kernels).filter((k) => typeof (kernels as unknown as Record<string, unknown>)[k] === 'function');
  const slots: number[] = [];
  for (let i = 0; i < workers; i++) {
    const slot = malloc(SLOT_BYTES) >>> 0;
    new Int32Array(memory.buffer, slot, 8).fill(0);
    slots.push(slot);
  }
  await Promise.all(slots.map((slot) => spawn({ module, memory, slot, names })));
  const sequences = slots.map(() => 0);
  return {
    threads: workers + 1,
    run(fn, argsList) {
      const index = names.indexOf(fn);
      const started: number[] = [];
      for (let w = 0; w < argsList.length - 1; w++) {
        const args = argsList[w + 1];
        if (w >= slots.length) throw new Error(`kernel pool: ${argsList.length} calls for ${slots.length + 1} threads`);
        const i32 = new Int32Array(memory.buffer, slots[w], 8);
        new Float64Array(memory.buffer, slots[w] + 32, 16).set(args);
        i32[FN] = index;
        i32[NARGS] = args.length;
        sequences[w]++;
        Atomics.store(i32, GO, sequences[w]);
        // A spinning worker sees the store; a sleeping one needs the notify.
        Atomics.notify(i32, GO);
        started.push(w);
      }
      const own = kernels[fn] as (...a: number[]) => void;
      own(...argsList[0]);
      let failed = false;
      for (const w of started) {
        const i32 = new Int32Array(memory.buffer, slots[w], 8);
        // The worker's share takes about as long as ours: spin, and only sleep if it is late.
        const until = performance.now() + 5;
        for (;;) {
          const done = Atomics.load(i32, DONE);
          if (done === sequences[w]) break;
          if (wait && performance.now() > until) Atomics.wait(i32, DONE, done, 1000);
        }
        if (Atomics.exchange(i32, ERROR, 0)) failed = true;
      }
      if (failed) throw new Error(`SIMD kernel ${fn} failed in a worker thread`);
    },
  };
}

/** Splits [0, total) into up to `parts` ranges [start, count], starts aligned to `align`. */
export function splitRange(total: number, parts: number, align: number): [number, number][] {
  const chunk = Math.ceil(total / parts / align) * align;
  const out: [number, number][] = [];
  for (let start = 0; start < total; start += chunk) out.push([start, Math.min(chunk, total - start)]);
  return out;
}
