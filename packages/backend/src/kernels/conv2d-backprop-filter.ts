import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './call-kernel';
import { simdConv2DBackpropFilter } from './conv2d-simd';
import { BackendError } from '../backend-error';

interface Conv2DBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The filter gradient, which tfjs-backend-wasm lacks, as one ordinary (XNNPACK) convolution:
 * dW[i, j, ci, co] = sum over n, oy, ox of x[n, oy*s + i - pt, ox*s + j - pl, ci] * dy[n, oy, ox, co],
 * i.e. a conv of x^T ([Ci, H, W, N], batch = Ci) with dy^T ([oH, oW, N, Co] as the filter),
 * dilation = the forward stride, padding = the forward padding; then crop and transpose.
 */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat === 'NCHW') throw new BackendError('Conv2DBackpropFilter (wasm): only NHWC is supported');
    const b = backend as unknown as import('@tensorflow/tfjs-core').KernelBackend;
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
    const [kh, kw, ci, co] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const xT = callKernel(b, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = callKernel(b, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const conv = callKernel(
      b,
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: 1,
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
        dimRoundingMode: undefined,
      },
    );
    release(b, xT, dyT);
    let cropped = conv;
    if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
      cropped = callKernel(b, 'Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      release(b, conv);
    }
    const out = callKernel(b, 'Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
    release(b, cropped);
    return out;
  },
};

/** The filter gradient on our SIMD implicit GEMM for stride 1 (see conv2d-simd.ts), else as above. */
export const conv2DBackpropFilterSimdConfig: KernelConfig = {
  ...conv2DBackpropFilterConfig,
  kernelFunc: (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const b = args.backend as unknown as import('@tensorflow/tfjs-core').KernelBackend;
    return simdConv2DBackpropFilter(b, x, dy, filterShape, { strides, pad, dataFormat, dimRoundingMode }) ?? conv2DBackpropFilterConfig.kernelFunc(args);
  },
};
