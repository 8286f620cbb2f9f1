import '@tensorflow/tfjs-backend-cpu';
import { CUSTOM_KERNELS } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend';

// The models' ops and the trainer's Adam run our kernels by these names (from @fmnist/core);
// a backend we start without one of them would silently take the slow path.
describe('custom kernels', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`are all registered on ${backend}`, async () => {
      await initBackend({ backend, threads: 1 });
      const missing = CUSTOM_KERNELS.filter((name) => !tf.getKernel(name, backend));
      expect(missing).toEqual([]);
    });
  }
});
