import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounted {
  incRef(dataId: object): void;
}

/**
 * Identity (what tfjs's engine runs to save a tensor for the backward pass, ~150 times in a VGG
 * step) sharing the input's memory, as the cpu backend does, instead of stock wasm's copy: tensors
 * are immutable, and the backend frees the memory when the last reference goes.
 */
export function identityConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: Identity,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype === 'string') return original(args);
      (args.backend as unknown as RefCounted).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
