import { backend_util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './call-kernel';
import { simdConv2DBackpropInput } from './conv2d-simd';

interface Conv2DBackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * The input gradient as a forward convolution (ours with SIMD, else XNNPACK) instead of wasm's naive loop: for stride 1,
 * dx = conv2d(dy, W rotated 180° with in/out channels swapped), padded by k - 1 - forward pad.
 * Other strides fall back to the original kernel.
 */
export function conv2DBackpropInputConfig(fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
      const info = backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
      );
      if (dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1) return fallback(args);
      const b = backend as unknown as KernelBackend;
      const { filterHeight: kh, filterWidth: kw } = info;
      const { top, bottom, left, right } = info.padInfo;
      const padding: [number, number][] = [
        [0, 0],
        [kh - 1 - top, kh - 1 - bottom],
        [kw - 1 - left, kw - 1 - right],
        [0, 0],
      ];
      if (padding.flat().some((p) => p < 0)) return fallback(args);
      const fast = simdConv2DBackpropInput(b, dy, filter, info, padding);
      if (fast) return fast;
      // [kh, kw, Ci, Co] -> reversed spatially -> [kh, kw, Co, Ci]
      const flipped = callKernel(b, 'Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = callKernel(b, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      release(b, flipped);
      const out = callKernel(b, 'Conv2D', { x: dy, filter: swapped }, { strides: 1, pad: padding, dataFormat: 'NHWC', dilations: 1 });
      release(b, swapped);
      return out;
    },
  };
}
