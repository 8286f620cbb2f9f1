import { findBackend, getKernel, type KernelConfig, type KernelFunc, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { adamUpdateKernel } from './kernels/adam-update';
import { batchMatMulConfig, fusedMatMulConfig } from './kernels/batch-mat-mul';
import { batchNormTrainGradKernel, batchNormTrainKernel } from './kernels/batch-norm-train';
import { conv2DBackpropFilterConfig, conv2DBackpropFilterSimdConfig } from './kernels/conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './kernels/conv2d-backprop-input';
import { fusedBatchNormConfig } from './kernels/fused-batch-norm';
import { conv2DConfig, fusedConv2DConfig } from './kernels/fused-conv2d';
import { hostKernelConfig } from './kernels/host-kernel';
import { identityConfig } from './kernels/identity';
import { maxPoolGradKernel } from './kernels/max-pool-grad';
import { reluGradKernel, useReluGradKernel } from './kernels/relu-grad';
import type { SpawnKernelWorkers } from './kernels/simd/kernel-pool';
import { prepareSimdKernels, type SimdBuild, simdBuild, simdKernelPool, simdKernels, startSimdKernelPool } from './kernels/simd/simd-module';
import { sumKernel } from './kernels/sum';
import { type WasmBackendLike, wasmMemory } from './kernels/wasm-backend-like';
import { BackendError } from './backend-error';

export type WasmPatchLevel = 'none' | 'missing' | 'all';

/** Our host kernels that wasm and cpu both get (custom kernel names: no stock kernel to replace). */
const HOST_KERNELS = [batchNormTrainKernel, batchNormTrainGradKernel, adamUpdateKernel, reluGradKernel];

const originals = new Map<string, KernelConfig | undefined>();
let level: WasmPatchLevel = 'none';

function replace(config: KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, getKernel(config.kernelName, config.backendName));
  if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

function original(name: string): KernelFunc {
  const config = originals.get(name) ?? getKernel(name, 'wasm');
  if (!config) throw new BackendError(`wasm has no ${name} kernel to fall back to`, { kind: 'failure' });
  return config.kernelFunc;
}

/** Puts back every kernel we replaced and removes the ones we added. */
function restore(): void {
  for (const [name, config] of originals) {
    if (getKernel(name, 'wasm')) unregisterKernel(name, 'wasm');
    if (config) registerKernel(config);
  }
  originals.clear();
}

/**
 * Registers our kernels on the wasm backend. `'missing'` adds only what stock wasm lacks
 * (Conv2DBackpropFilter: without it CNNs cannot train at all), which benchmarks call
 * `wasm-stock`; `'all'` also replaces the slow paths of a training step (transposed matmuls,
 * convolution input gradients, pooling gradients, leading-axis sums) and adds fused batch-norm
 * training and Adam kernels that @fmnist/models and @fmnist/trainer use when present.
 * Idempotent; `'none'` restores stock wasm.
 */
export function patchWasm(to: WasmPatchLevel = 'all'): string[] {
  if (to === level) return patchedKernels();
  restore();
  if (to !== 'none') {
    if (!getKernel('Conv2DBackpropInput', 'wasm')) throw new BackendError('patchWasm: import @tensorflow/tfjs-backend-wasm first');
    replace(to === 'all' ? conv2DBackpropFilterSimdConfig : conv2DBackpropFilterConfig);
  }
  if (to === 'all') {
    replace(conv2DBackpropInputConfig(original('Conv2DBackpropInput')));
    replace(batchMatMulConfig(original('BatchMatMul')));
    replace(fusedMatMulConfig(original('_FusedMatMul')));
    replace(fusedConv2DConfig(original('FusedConv2D')));
    replace(conv2DConfig(original('Conv2D')));
    replace(identityConfig(original('Identity')));
    replace(fusedBatchNormConfig(original('FusedBatchNorm')));
    replace(hostKernelConfig(maxPoolGradKernel, 'wasm', original('MaxPoolGrad')));
    replace(hostKernelConfig(sumKernel, 'wasm', original('Sum')));
    for (const k of HOST_KERNELS) replace(hostKernelConfig(k, 'wasm'));
    useReluGradKernel();
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

/** Adds the fused batch-norm and Adam kernels to the cpu backend (plain JS, exact). Idempotent. */
export function registerCpuKernels(): void {
  for (const k of HOST_KERNELS) {
    if (!getKernel(k.kernelName, 'cpu')) registerKernel(hostKernelConfig(k, 'cpu'));
  }
  useReluGradKernel();
}

/**
 * Compiles our SIMD kernels (assembly/) for the initialised wasm backend's memory, asynchronously
 * as browsers require. Without it they are compiled on first use. False when the engine has no
 * wasm SIMD (our kernels then run as JS loops).
 */
export async function prepareWasmKernels(): Promise<boolean> {
  const found = wasmBackendMemory();
  return found ? prepareSimdKernels(found.memory) : false;
}

/**
 * Which build of our kernels runs on the wasm backend: wasm SIMD with fused multiply-adds
 * (`relaxed-simd`), plain wasm SIMD, or JS loops (an engine without wasm SIMD).
 */
export function wasmKernelBuild(): SimdBuild | 'js' {
  const found = wasmBackendMemory();
  return found && simdKernels(found.memory) ? simdBuild() : 'js';
}

function wasmBackendMemory(): { backend: WasmBackendLike; memory: WebAssembly.Memory } | undefined {
  const backend = findBackend('wasm') as unknown as WasmBackendLike | null;
  const memory = backend ? wasmMemory(backend) : undefined;
  return backend && memory ? { backend, memory } : undefined;
}

/**
 * Gives our SIMD kernels `workers` extra threads (GEMMs, convolutions), on the pthreads build's
 * shared memory. False when the memory is not shared or the kernels were not prepared.
 */
export async function startWasmKernelPool(workers: number, spawn: SpawnKernelWorkers, wait: boolean): Promise<boolean> {
  const found = wasmBackendMemory();
  if (!found) return false;
  const pool = await startSimdKernelPool(found.memory, workers, spawn, (bytes) => found.backend.wasm._malloc(bytes), wait);
  return pool !== undefined;
}

/**
 * After the wasm backend started: compiles our SIMD kernels, gives them `threads - 1` workers when
 * more than one thread is wanted, and registers them (`patchWasm(patches)`). Returns notes for what
 * could not be done; neither missing SIMD nor workers that fail to start stop the backend.
 */
export async function installWasmKernels(patches: WasmPatchLevel, threads: number, spawn: SpawnKernelWorkers, wait: boolean): Promise<string[]> {
  const notes: string[] = [];
  if (patches === 'all') {
    if (!(await prepareWasmKernels())) notes.push('wasm SIMD: unavailable, our kernels run as JS loops');
    else if (threads > 1) {
      let why = 'the wasm memory is not shared';
      let started = false;
      try {
        started = await startWasmKernelPool(threads - 1, spawn, wait);
      } catch (error) {
        why = (error as Error).message;
      }
      if (!started) notes.push(`kernel threads: not started (${why}); our kernels use one thread`);
    }
  }
  patchWasm(patches);
  return notes;
}

/** Threads our kernels use on the wasm backend (1 without a kernel pool). */
export function wasmKernelThreads(): number {
  const found = wasmBackendMemory();
  return (found && simdKernelPool(found.memory)?.threads) || 1;
}
