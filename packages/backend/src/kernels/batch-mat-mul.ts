import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './call-kernel';

/**
 * BatchMatMul with transposed operands: wasm's XNNPACK path is fast only for plain A·B, and the
 * backward pass of every Dense layer asks for A·Bᵀ and Aᵀ·B (10-20x slower). An explicit
 * transpose (cheap, memory-bound) and a plain product are much faster.
 */
export function batchMatMulConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
      const backend = args.backend as unknown as KernelBackend;
      const flip = (t: TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2], perm[perm.length - 1]];
        return callKernel(backend, 'Transpose', { x: t }, { perm });
      };
      const aa = transposeA ? flip(a) : a;
      const bb = transposeB ? flip(b) : b;
      const out = original({ ...args, inputs: { a: aa, b: bb }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
      if (transposeA) release(backend, aa);
      if (transposeB) release(backend, bb);
      return out;
    },
  };
}
