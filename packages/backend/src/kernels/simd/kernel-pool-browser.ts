import { KERNEL_WORKER_SOURCE, type SpawnKernelWorker } from './kernel-pool';

/**
 * Starts a kernel worker as a Web Worker from a Blob URL (a page whose CSP forbids blob: workers
 * gets an error, and the caller keeps one thread). The module and the shared memory are posted.
 */
export const spawnBrowserKernelWorker: SpawnKernelWorker = (data) =>
  new Promise((resolve, reject) => {
    const source = `${KERNEL_WORKER_SOURCE}\nonmessage = (event) => kernelWorker(event.data, () => postMessage('ready'));`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    worker.onmessage = () => {
      URL.revokeObjectURL(url);
      resolve();
    };
    worker.onerror = (event) => {
      URL.revokeObjectURL(url);
      worker.terminate();
      reject(new Error(event.message || 'kernel worker failed to start'));
    };
    worker.postMessage(data);
  });
