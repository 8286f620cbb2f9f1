import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { offsetOf, simdFor, type WasmBackendLike, withScratch } from './wasm-backend-like';

/**
 * FusedBatchNorm (batch norm at inference, with the moving statistics) as one SIMD per-channel
 * affine pass: stock wasm took 13% of a VGG inference batch on it. Statistics must be [C] over
 * the last axis with C a multiple of 4; anything else goes to `original`.
 */
export function fusedBatchNormConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: 'FusedBatchNorm',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
      const b = args.backend as unknown as WasmBackendLike;
      const k = simdFor(b);
      if (!k || !x || !mean || !variance) return original(args);
      const c = x.shape[x.shape.length - 1];
      const perChannel = (t: TensorInfo | undefined) => !t || (t.shape.length === 1 && t.shape[0] === c && t.dtype === 'float32');
      if (x.dtype !== 'float32' || c % 4 !== 0 || ![mean, variance, offset, scale].every(perChannel)) return original(args);
      const rows = util.sizeFromShape(x.shape) / c;
      const out = b.makeOutput(x.shape, 'float32');
      const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
      const ptr = (t: TensorInfo | undefined) => (t ? offsetOf(b, t) : 0);
      withScratch(b, 8 * c, (scratch) => k.batchNormInference(ptr(x), ptr(mean), ptr(variance), ptr(offset), ptr(scale), ptr(out), rows, c, eps, scratch));
      return out;
    },
  };
}
