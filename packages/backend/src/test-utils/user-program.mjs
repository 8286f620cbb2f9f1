// A user's program, for process-listeners.test.ts. With INIT set it initialises the wasm backend
// (THREADS threads) first; without, it is the same program as Node runs it without us. CASE picks
// the user's mistake.
import { initBackend } from '@fmnist/backend';
import * as tf from '@tensorflow/tfjs-core';

const { INIT, THREADS, CASE } = process.env;
const mine = (error) => console.error(`handled: ${error.message}`);
if (CASE === 'handler') process.on('uncaughtException', mine);
// Without INIT, an await all the same: the mistakes below then have the same stack either way.
if (INIT) await initBackend({ backend: 'wasm', threads: Number(THREADS), wasmPatches: CASE === 'worker' ? 'none' : 'all' });
else await new Promise((resolve) => setTimeout(resolve, 1));
if (CASE === 'reject') Promise.reject(new Error('my bug'));
if (CASE === 'handler') {
  setTimeout(() => {
    // tfjs-backend-wasm's dispose removes the handlers it saw at initialisation, the program's too.
    if (INIT) tf.removeBackend('wasm');
    console.error(`still running, my handler is there: ${process.listeners('uncaughtException').includes(mine)}`);
  }, 10);
}
if (CASE === 'worker') {
  // A real failure in one of emscripten's pthread workers: a call into a function that does not exist.
  const { PThread } = tf.backend().wasm;
  (PThread.unusedWorkers[0] ?? PThread.runningWorkers[0]).postMessage({ cmd: 'run', start_routine: 123456, arg: 0, pthread_ptr: 0 });
  setTimeout(() => {}, 5000);
}
if (CASE === 'throw' || CASE === 'handler') throw new Error('my bug');
