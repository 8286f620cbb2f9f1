import { Conv2D, FusedConv2D, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvArgs, simdConv2D } from './conv2d-simd';

/**
 * FusedConv2D (Conv2D layers' forward) with a [Co] bias or none and a linear or ReLU activation on
 * our SIMD convolutions when they apply (stride 1, enough input channels); the rest to `original`.
 */
export function fusedConv2DConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: FusedConv2D,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const attrs = args.attrs as unknown as ConvArgs & { activation?: string };
      const act = attrs.activation ?? 'linear';
      const fast =
        x && filter && !preluActivationWeights && (act === 'linear' || act === 'relu')
          ? simdConv2D(args.backend as unknown as KernelBackend, x, filter, bias, act === 'relu', attrs)
          : undefined;
      return fast ?? original(args);
    },
  };
}

/** Plain Conv2D (`tf.conv2d`) on the same paths as FusedConv2D. */
export function conv2DConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: Conv2D,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      return simdConv2D(args.backend as unknown as KernelBackend, x, filter, undefined, false, args.attrs as unknown as ConvArgs) ?? original(args);
    },
  };
}
