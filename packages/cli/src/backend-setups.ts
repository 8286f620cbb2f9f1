import { initBackend, patchWasm, type WebGpuAdapterReport } from '@fmnist/backend';
import type { BenchBackend } from '@fmnist/core';
import { adapterDevice, type BackendActivation, type BackendSetup } from '@fmnist/profiler';

/** What a CLI backend's activation says: on `webgpu`, its device and the adapter as `fmnist doctor --json` reports it. */
export interface CliBackendActivation extends BackendActivation {
  adapter?: WebGpuAdapterReport;
}

export interface CliBackendSetup extends BackendSetup {
  label: BenchBackend;
  activate: () => Promise<CliBackendActivation>;
}

/**
 * How to activate each labelled backend: `wasm` is ours (all kernels patched), `wasm-stock` is
 * unpatched tfjs-backend-wasm plus only the Conv2DBackpropFilter kernel it lacks (without it CNNs
 * cannot train at all), `webgpu` is tfjs-backend-webgpu on Dawn (`initBackend({ backend:
 * 'webgpu' })`, a software adapter where there is no GPU: its device says so).
 */
export function backendSetups(labels: BenchBackend[]): CliBackendSetup[] {
  return labels.map((label) => ({
    label,
    activate: async () => {
      if (label === 'wasm' || label === 'wasm-stock') {
        await initBackend({ backend: 'wasm' });
        patchWasm(label === 'wasm' ? 'all' : 'missing');
        return {};
      }
      const { webgpu } = await initBackend({ backend: label });
      return webgpu ? { device: adapterDevice(webgpu), adapter: webgpu } : {};
    },
  }));
}
