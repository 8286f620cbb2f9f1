import { Worker } from 'node:worker_threads';
import { KERNEL_WORKER_SOURCE, type SpawnKernelWorker } from './kernel-pool';

/** Starts a kernel worker as a Node worker thread (unref'd: it never keeps the process alive). */
export const spawnNodeKernelWorker: SpawnKernelWorker = (data) =>
  new Promise((resolve, reject) => {
    const source = `${KERNEL_WORKER_SOURCE}\nconst { workerData, parentPort } = require('node:worker_threads');\nkernelWorker(workerData, () => parentPort.postMessage('ready'));`;
    const worker = new Worker(source, { eval: true, workerData: data });
    worker.once('message', () => {
      worker.unref();
      resolve();
    });
    worker.once('error', reject);
  });
