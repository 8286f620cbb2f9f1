import { getKernel, type KernelConfig, type KernelFunc, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './kernels/conv2d-backprop-input';

export type WasmPatchLevel = 'none' | 'missing' | 'all';

const originals = new Map<string, KernelConfig | undefined>();
let level: WasmPatchLevel = 'none';

function replace(config: KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, getKernel(config.kernelName, 'wasm'));
  if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(config);
}

function original(name: string): KernelFunc {
  const config = originals.get(name) ?? getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm has no ${name} kernel to fall back to`);
  return config.kernelFunc;
}

/** Puts back every kernel we replaced. */
function restore(): void {
  for (const [name, config] of originals) {
    if (getKernel(name, 'wasm')) unregisterKernel(name, 'wasm');
    if (config) registerKernel(config);
  }
  originals.clear();
}

/**
 * Registers our kernels on the wasm backend. `'missing'` adds only what stock wasm lacks
 * (Conv2DBackpropFilter: without it CNNs cannot train at all), which is what benchmarks call
 * `wasm-stock`; `'all'` also replaces the slow paths of a training step. Idempotent.
 */
export function patchWasm(to: WasmPatchLevel = 'all'): string[] {
  if (to === level) return patchedKernels();
  restore();
  if (to !== 'none') {
    if (!getKernel('Conv2DBackpropInput', 'wasm')) throw new Error('patchWasm: import @tensorflow/tfjs-backend-wasm first');
    replace(conv2DBackpropFilterConfig);
  }
  if (to === 'all') {
    replace(conv2DBackpropInputConfig(original('Conv2DBackpropInput')));
  }
  level = to;
  return patchedKernels();
}

/** Names of the kernels we registered on wasm. */
export function patchedKernels(): string[] {
  return [...originals.keys()];
}

export function wasmPatchLevel(): WasmPatchLevel {
  return level;
}
