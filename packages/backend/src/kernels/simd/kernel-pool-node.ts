import { Worker } from 'node:worker_threads';
import { CONTROL_I32, IS_BUSY_SOURCE, KERNEL_WORKER_SOURCE, MARK_DEAD_SOURCE, type SpawnKernelWorkers } from './kernel-pool';

/**
 * The supervisor: a thread that starts the kernel workers and watches them. The calling thread
 * waits synchronously in `pool.run`, so it cannot hear a worker's `exit` event; the supervisor's
 * event loop stays free and turns a death into the DEAD bit in shared memory, which the caller
 * polls.
 */
const SUPERVISOR_SOURCE = `${MARK_DEAD_SOURCE}${IS_BUSY_SOURCE}
const { Worker, workerData, parentPort } = require('node:worker_threads');
const { data, count, source } = workerData;
const i32 = new Int32Array(data.memory.buffer, data.slot, ${CONTROL_I32});
const workers = [];
let ready = 0;
let started = false;
for (let index = 1; index <= count; index++) {
  const worker = new Worker(source, { eval: true, workerData: { ...data, index } });
  worker.once('message', () => {
    if (++ready === count) { started = true; parentPort.postMessage({ ready: true }); }
  });
  const died = (why) => {
    markDead(i32, index);
    if (!started) parentPort.postMessage({ error: why });
  };
  worker.once('error', (error) => died(String(error && error.message || error)));
  worker.once('exit', (code) => died('exited with code ' + code));
  workers.push(worker);
}
parentPort.on('message', (m) => {
  // Test hook: after afterMs, stop the worker as soon as it is inside a job (a crash mid-chunk).
  if (m && m.terminate) setTimeout(function kill() {
    const worker = workers[m.terminate - 1];
    if (!worker) return;
    if (isBusy(i32, m.terminate)) worker.terminate();
    else setTimeout(kill, 0);
  }, m.afterMs);
});
`;

const KERNEL_SOURCE = `${KERNEL_WORKER_SOURCE}\nconst { workerData, parentPort } = require('node:worker_threads');\nkernelWorker(workerData, () => parentPort.postMessage('ready'));`;

/** Starts the kernel workers as Node worker threads under a supervisor thread (unref'd: it never keeps the process alive). */
export const spawnNodeKernelWorkers: SpawnKernelWorkers = (data, count) =>
  new Promise((resolve, reject) => {
    const supervisor = new Worker(SUPERVISOR_SOURCE, { eval: true, workerData: { data, count, source: KERNEL_SOURCE } });
    supervisor.on('message', (m: { ready?: boolean; error?: string }) => {
      if (m.error) {
        void supervisor.terminate();
        reject(new Error(`kernel worker failed to start: ${m.error}`));
      } else if (m.ready) {
        supervisor.unref();
        resolve({ terminate: (index, afterMs) => supervisor.postMessage({ terminate: index, afterMs }) });
      }
    });
    supervisor.once('error', reject);
  });
