import type { TensorInfo } from '@tensorflow/tfjs-core';
import { POOLED_KERNEL_ARGS, type PooledKernelArgs, type PooledKernelName, type SimdKernels } from './simd/kernel-abi';
import { chunkCount, type KernelPool } from './simd/kernel-pool';
import { simdKernelPool, simdKernels } from './simd/simd-module';
import { BackendError } from '../backend-error';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use (its types are not exported). */
export interface WasmBackendLike {
  /** wasmMemory in the threaded build, asm.memory in the others. */
  wasm: {
    HEAPU8: Uint8Array;
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

export function wasmMemory(b: WasmBackendLike): WebAssembly.Memory | undefined {
  return b.wasm.wasmMemory ?? b.wasm.asm?.memory;
}

/** Byte offset of a tensor in the wasm heap. */
export function offsetOf(b: WasmBackendLike, t: TensorInfo): number {
  const data = b.dataIdMap.get(t.dataId);
  if (!data) throw new BackendError('kernel: tensor is not on the wasm backend', { kind: 'failure' });
  return data.memoryOffset;
}

/** Our SIMD kernels for this backend's memory, or undefined (no wasm SIMD): callers fall back. */
export function simdFor(b: WasmBackendLike): SimdKernels | undefined {
  const memory = wasmMemory(b);
  return memory ? simdKernels(memory) : undefined;
}

/** Runs `fn` with `bytes` of wasm heap scratch (16-byte aligned by malloc), freed afterwards. */
export function withScratch<T>(b: WasmBackendLike, bytes: number, fn: (pointer: number) => T): T {
  const pointer = b.wasm._malloc(bytes) >>> 0;
  try {
    return fn(pointer);
  } finally {
    b.wasm._free(pointer);
  }
}

/**
 * Runs fn once per set of named arguments (scripts/kernel-table.mjs): on the kernel pool's threads
 * when one was started (see startSimdKernelPool), else one after another here. The calls must
 * write disjoint outputs.
 */
export function runParallel<K extends PooledKernelName>(b: WasmBackendLike, kernels: SimdKernels, fn: K, calls: PooledKernelArgs[K][]): void {
  const toArgs = POOLED_KERNEL_ARGS[fn];
  const argsList = calls.map((call) => toArgs(call));
  const memory = wasmMemory(b);
  const pool = memory ? simdKernelPool(memory) : undefined;
  if (pool && argsList.length > 1) pool.run(fn, argsList);
  else for (const args of argsList) (kernels[fn] as (...a: number[]) => void)(...args);
}

/** How many threads our kernels may use on this backend (1 without a pool). */
export function kernelThreads(b: WasmBackendLike): number {
  const memory = wasmMemory(b);
  const pool: KernelPool | undefined = memory ? simdKernelPool(memory) : undefined;
  return pool?.threads ?? 1;
}

/** How many chunks to split a kernel's work into on this backend: several per thread (threads claim them as they come, so a late one takes fewer); one without a pool. */
export function kernelChunks(b: WasmBackendLike): number {
  return chunkCount(kernelThreads(b));
}
