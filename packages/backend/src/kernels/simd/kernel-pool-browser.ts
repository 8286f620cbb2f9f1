import { CONTROL_I32, KERNEL_WORKER_SOURCE, type KernelWorkerData, MARK_DEAD_SOURCE, type SpawnKernelWorkers } from './kernel-pool';

function spawnOne(data: KernelWorkerData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const source = `${KERNEL_WORKER_SOURCE}\nonmessage = (event) => kernelWorker(event.data, () => postMessage('ready'));`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    worker.onmessage = () => {
      URL.revokeObjectURL(url);
      resolve(worker);
    };
    worker.onerror = (event) => {
      URL.revokeObjectURL(url);
      worker.terminate();
      reject(new Error(event.message || 'kernel worker failed to start'));
    };
    worker.postMessage(data);
  });
}

/**
 * Starts kernel workers as Web Workers from Blob URLs (a page whose CSP forbids blob: workers gets
 * an error, and the caller keeps one thread). The module and the shared memory are posted. A
 * worker that fails later is marked dead from the page's event loop, which runs between jobs only:
 * a page's main thread spins inside a job, so a death in the middle of one is not seen there.
 */
export const spawnBrowserKernelWorkers: SpawnKernelWorkers = async (data, count) => {
  const workers = await Promise.all(Array.from({ length: count }, (_, i) => spawnOne({ ...data, index: i + 1 })));
  // Built when a pool starts, not at import (a CSP without eval then only loses the threads).
  const mark = new Function(`${MARK_DEAD_SOURCE}\nreturn markDead;`)() as (i32: Int32Array, index: number) => void;
  const i32 = new Int32Array(data.memory.buffer, data.slot, CONTROL_I32);
  workers.forEach((worker, i) => {
    worker.onerror = () => mark(i32, i + 1);
  });
  return {
    terminate: (index, afterMs) => {
      setTimeout(() => {
        workers[index - 1]?.terminate();
        mark(i32, index);
      }, afterMs);
    },
  };
};
