import { backend_util, type KernelBackend, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { SimdKernels } from './simd/kernel-abi';
import { callKernel, release } from './call-kernel';
import { splitRange } from './simd/kernel-pool';
import { winogradApplies, winogradConv2D, winogradConv2DBackpropFilter } from './conv2d-winograd';
import { kernelChunks, offsetOf, runParallel, simdFor, type WasmBackendLike } from './wasm-backend-like';

// Stride-1 convolutions on our SIMD implicit GEMM (assembly/conv2d.ts). Each function returns
// undefined when it does not apply (no SIMD, other strides or dilations, NCHW, too few channels for
// the GEMM to pay); the caller then keeps XNNPACK.

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
export type Padding = [number, number][];

/** Below this many reduction channels per tap, XNNPACK's convolution is faster than per-tap GEMMs. */
const MIN_CHANNELS = 8;

function pad(b: KernelBackend, x: TensorInfo, paddings: Padding): TensorInfo {
  return callKernel(b, 'PadV2', { x }, { paddings, constantValue: 0 });
}

function info(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  padding: Pad,
  dilations: number | [number, number],
  rounding?: 'floor' | 'round' | 'ceil',
) {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    padding,
    rounding,
  );
}

const unit = (c: backend_util.Conv2DInfo) => c.strideHeight === 1 && c.strideWidth === 1 && c.dilationHeight === 1 && c.dilationWidth === 1;

export interface ConvArgs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** conv2dRows over a padded input [N, Hq, Wq, Ci] into out [N, H, W, Co], threads taking ranges of images. */
function convRows(
  b: WasmBackendLike,
  k: SimdKernels,
  xp: TensorInfo,
  w: TensorInfo,
  kh: number,
  kw: number,
  flip: boolean,
  out: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
): void {
  const [batch, hq, wq, cin] = xp.shape;
  const [, h, wo, cout] = out.shape;
  const [px, pw, po, pb] = [offsetOf(b, xp), offsetOf(b, w), offsetOf(b, out), bias ? offsetOf(b, bias) : 0];
  const parts = splitRange(batch, kernelChunks(b), 1).map(([n0, count]) => ({
    xp: px + 4 * n0 * hq * wq * cin,
    batch: count,
    Hq: hq,
    Wq: wq,
    cin,
    w: pw,
    kh,
    kw,
    flip,
    out: po + 4 * n0 * h * wo * cout,
    cout,
    bias: pb,
    relu,
  }));
  runParallel(b, k, 'conv2dRows', parts);
}

/** y = conv(x, filter) (+ bias [Co]) (ReLU). */
export function simdConv2D(
  backend: KernelBackend,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
  a: ConvArgs,
): TensorInfo | undefined {
  const b = backend as unknown as WasmBackendLike;
  const k = simdFor(b);
  if (!k || a.dataFormat !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const c = info(x.shape, filter.shape, a.strides, a.pad, a.dilations ?? 1, a.dimRoundingMode);
  if (!unit(c) || c.inChannels < MIN_CHANNELS || (bias && util.sizeFromShape(bias.shape) !== c.outChannels)) return undefined;
  const { top, bottom, left, right } = c.padInfo;
  if (winogradApplies(c.filterHeight, c.filterWidth, c.inChannels))
    return winogradConv2D(backend, k, x, filter, false, top, left, c.outHeight, c.outWidth, bias, relu);
  const xp = pad(backend, x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  const out = b.makeOutput([c.batchSize, c.outHeight, c.outWidth, c.outChannels], 'float32');
  convRows(b, k, xp, filter, c.filterHeight, c.filterWidth, false, out, bias, relu);
  release(backend, xp);
  return out;
}

/**
 * dx of a stride-1 NHWC convolution `c`: the convolution of dy padded by `paddings` (k - 1 - the
 * forward padding, worked out by the caller, conv2d-backprop-input.ts) with the filter rotated 180°
 * (read in reverse by the kernel) and its channel axes swapped.
 */
export function simdConv2DBackpropInput(
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  c: backend_util.Conv2DInfo,
  paddings: Padding,
): TensorInfo | undefined {
  const b = backend as unknown as WasmBackendLike;
  const k = simdFor(b);
  if (!k || dy.dtype !== 'float32' || filter.dtype !== 'float32' || !unit(c) || c.outChannels < MIN_CHANNELS) return undefined;
  const { filterHeight: kh, filterWidth: kw } = c;
  const swapped = callKernel(backend, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  if (winogradApplies(kh, kw, c.outChannels)) {
    const dx = winogradConv2D(backend, k, dy, swapped, true, paddings[1][0], paddings[2][0], c.inHeight, c.inWidth, undefined, false);
    release(backend, swapped);
    return dx;
  }
  const dyp = pad(backend, dy, paddings);
  const out = b.makeOutput([c.batchSize, c.inHeight, c.inWidth, c.inChannels], 'float32');
  convRows(b, k, dyp, swapped, kh, kw, true, out, undefined, false);
  release(backend, dyp, swapped);
  return out;
}

/** dW of a convolution: per image and tap, one GEMM of the padded input (read in place) with dy. */
export function simdConv2DBackpropFilter(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, filterShape: number[], a: ConvArgs): TensorInfo | undefined {
  const b = backend as unknown as WasmBackendLike;
  const k = simdFor(b);
  if (!k || a.dataFormat !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const c = info(x.shape, filterShape, a.strides, a.pad, 1, a.dimRoundingMode);
  if (!unit(c) || c.batchSize === 0) return undefined;
  const { top, bottom, left, right } = c.padInfo;
  if (winogradApplies(c.filterHeight, c.filterWidth, c.inChannels)) return winogradConv2DBackpropFilter(backend, k, x, dy, top, left);
  // One extra zero row at the bottom: the GEMM's k loop runs over whole padded rows and may read up
  // to kw - 1 pixels past an image's last row.
  const xp = pad(backend, x, [
    [0, 0],
    [top, bottom + 1],
    [left, right],
    [0, 0],
  ]);
  const wp = xp.shape[2];
  const dyp = pad(backend, dy, [
    [0, 0],
    [0, 0],
    [0, wp - c.outWidth],
    [0, 0],
  ]);
  const out = b.makeOutput(filterShape, 'float32');
  const [px, pdy, pw] = [offsetOf(b, xp), offsetOf(b, dyp), offsetOf(b, out)];
  // Threads take output-channel ranges: disjoint columns of dW.
  const parts = splitRange(c.outChannels, kernelChunks(b), 8).map(([c0, cc]) => ({
    xp: px,
    dyp: pdy + 4 * c0,
    dw: pw + 4 * c0,
    batch: c.batchSize,
    Hx: xp.shape[1],
    Wp: wp,
    cin: c.inChannels,
    oH: c.outHeight,
    kh: c.filterHeight,
    kw: c.filterWidth,
    cout: cc,
    ld: c.outChannels,
  }));
  runParallel(b, k, 'conv2dFilterGrad', parts);
  release(backend, xp, dyp);
  return out;
}
