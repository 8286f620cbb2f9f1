import { type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { SimdKernels } from './simd/kernel-abi';
import { offsetOf, simdFor, type WasmBackendLike, wasmMemory } from './wasm-backend-like';
import { BackendError } from '../backend-error';

/** The parts of tfjs-backend-cpu's MathBackendCPU our kernels use. */
interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/**
 * A kernel written once as plain loops over Float32Arrays, registered for the wasm backend (working
 * in place on the wasm heap: no copies) and the cpu backend. Memory-bound work (batch-norm
 * statistics, pooling gradients, optimizer updates) runs several times faster this way than as a
 * chain of generic kernels.
 */
export interface HostKernel {
  kernelName: string;
  /** Input names, in the order `compute` receives them. */
  inputs: string[];
  /** Output shapes (float32) for these inputs, or undefined to hand the call to `fallback`. */
  outputShapes(inputs: TensorInfo[], attrs: NamedAttrMap): number[][] | undefined;
  compute(inputs: Float32Array[], outputs: Float32Array[], infos: TensorInfo[], attrs: NamedAttrMap): void;
  /**
   * Optional wasm SIMD version over byte offsets in the wasm heap (assembly/). Returns false to
   * leave the call to `compute` (shapes it does not handle).
   */
  simd?(kernels: SimdKernels, inputs: number[], outputs: number[], infos: TensorInfo[], attrs: NamedAttrMap, b: WasmBackendLike): boolean;
}

function wasmView(b: WasmBackendLike, t: TensorInfo): Float32Array {
  // The Memory's current buffer: HEAP views of the threaded build are refreshed lazily after growth.
  const memory = wasmMemory(b);
  return new Float32Array(memory ? memory.buffer : b.wasm.HEAPU8.buffer, offsetOf(b, t), util.sizeFromShape(t.shape));
}

export function hostKernelConfig(kernel: HostKernel, backendName: 'wasm' | 'cpu', fallback?: KernelFunc): KernelConfig {
  return {
    kernelName: kernel.kernelName,
    backendName,
    kernelFunc: (args) => {
      const infos = kernel.inputs.map((n) => (args.inputs as Record<string, TensorInfo>)[n]);
      const attrs = args.attrs ?? {};
      const shapes = infos.every((t) => t && t.dtype === 'float32') ? kernel.outputShapes(infos, attrs) : undefined;
      if (!shapes) {
        if (!fallback) throw new BackendError(`${kernel.kernelName}: unsupported inputs and no fallback`, { kind: 'failure' });
        return fallback(args);
      }
      let outs: TensorInfo[];
      if (backendName === 'wasm') {
        const b = args.backend as unknown as WasmBackendLike;
        // Allocate first: allocation can grow (and move) the heap, invalidating views.
        outs = shapes.map((s) => b.makeOutput(s, 'float32'));
        const simd = kernel.simd && simdFor(b);
        const done =
          simd &&
          kernel.simd?.(
            simd,
            infos.map((t) => offsetOf(b, t)),
            outs.map((t) => offsetOf(b, t)),
            infos,
            attrs,
            b,
          );
        if (!done)
          kernel.compute(
            infos.map((t) => wasmView(b, t)),
            outs.map((t) => wasmView(b, t)),
            infos,
            attrs,
          );
      } else {
        const b = args.backend as unknown as CpuBackendLike;
        const outArrays = shapes.map((s) => new Float32Array(util.sizeFromShape(s)));
        kernel.compute(
          infos.map((t) => b.data.get(t.dataId).values),
          outArrays,
          infos,
          attrs,
        );
        outs = shapes.map((s, i) => b.makeTensorInfo(s, 'float32', outArrays[i]));
      }
      return outs.length === 1 ? outs[0] : outs;
    },
  };
}
