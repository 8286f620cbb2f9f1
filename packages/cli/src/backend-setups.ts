import { initBackend, patchWasm } from '@fmnist/backend';
import type { BenchBackend } from '@fmnist/core';
import type { BackendSetup } from '@fmnist/profiler';

/**
 * How to activate each labelled backend: `wasm` is ours (all kernels patched), `wasm-stock` is
 * unpatched tfjs-backend-wasm plus only the Conv2DBackpropFilter kernel it lacks (without it CNNs
 * cannot train at all).
 */
export function backendSetups(labels: BenchBackend[]): BackendSetup[] {
  return labels.map((label) => ({
    label,
    activate: async () => {
      if (label === 'wasm' || label === 'wasm-stock') {
        await initBackend({ backend: 'wasm' });
        patchWasm(label === 'wasm' ? 'all' : 'missing');
      } else {
        await initBackend({ backend: label });
      }
    },
  }));
}
