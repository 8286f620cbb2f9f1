import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';
import { checkOptions, type Transform } from './transform';

export interface ResizeOptions {
  /**
   * Output size `[height, width]`, or one number: the smaller edge, the other one keeping the
   * aspect ratio (rounded down), as torchvision. For square images both read the same.
   */
  size: number | [number, number];
  /**
   * Low-pass filter the image when downscaling, as torchvision's tensor path with `antialias=True`
   * (PyTorch's `interpolate(..., antialias=True)`: a triangle filter stretched by the scale factor).
   * No effect when upscaling. Default true, torchvision's default since 0.17 (and always on for PIL images).
   */
  antialias?: boolean;
}

/** The output size torchvision's `resize` computes for an image of `height x width`. */
export function resizedSize(size: number | [number, number], height: number, width: number): [number, number] {
  if (typeof size !== 'number') return [size[0], size[1]];
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? [newLong, size] : [size, newLong];
}

function checkSize(name: string, size: number | [number, number]): void {
  const sizes = typeof size === 'number' ? [size] : size;
  if (!(sizes.length === (typeof size === 'number' ? 1 : 2) && sizes.every((s) => Number.isInteger(s) && s > 0))) {
    throw new DataError(name, `size must be a positive integer or [height, width] of positive integers, found ${shownValue(size)}`);
  }
}

/** Per output pixel of one axis: the first input pixel read and the weights of the pixels read from there. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  /** `maxCount` weights per output pixel. */
  weights: Float64Array;
  maxCount: number;
}

/**
 * PyTorch's antialiased bilinear weights along one axis (`_compute_weights_aa` in ATen's
 * UpSampleKernel): a triangle filter of support `max(scale, 1)` about each output pixel's centre,
 * clipped to the image and normalised to sum to 1.
 */
function antialiasWeights(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  const invScale = scale >= 1 ? 1 / scale : 1;
  const maxCount = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxCount);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    // C++'s cast to int64 truncates towards zero.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const x = Math.abs((j + xmin - center + 0.5) * invScale);
      const w = x < 1 ? 1 - x : 0;
      weights[i * maxCount + j] = w;
      total += w;
    }
    if (total !== 0) for (let j = 0; j < xsize; j++) weights[i * maxCount + j] /= total;
    start[i] = xmin;
    count[i] = xsize;
  }
  return { start, count, weights, maxCount };
}

/** Antialiased resize, separable: along the width first, then along the height (as ATen does). */
function resizeAntialias(batch: ImageBatch, oh: number, ow: number): ImageBatch {
  const { data, n, height, width, channels } = batch;
  const wx = antialiasWeights(width, ow);
  const wy = antialiasWeights(height, oh);
  const tmp = new Float32Array(n * height * ow * channels);
  for (let r = 0; r < n * height; r++) {
    for (let x = 0; x < ow; x++) {
      const src = (r * width + wx.start[x]) * channels;
      const dst = (r * ow + x) * channels;
      for (let c = 0; c < channels; c++) {
        let v = 0;
        for (let j = 0; j < wx.count[x]; j++) v += wx.weights[x * wx.maxCount + j] * data[src + j * channels + c];
        tmp[dst + c] = v;
      }
    }
  }
  const out = new Float32Array(n * oh * ow * channels);
  const row = ow * channels;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < oh; y++) {
      const src = (i * height + wy.start[y]) * row;
      const dst = (i * oh + y) * row;
      for (let k = 0; k < row; k++) {
        let v = 0;
        for (let j = 0; j < wy.count[y]; j++) v += wy.weights[y * wy.maxCount + j] * tmp[src + j * row + k];
        out[dst + k] = v;
      }
    }
  }
  return { data: out, n, height: oh, width: ow, channels };
}

/** Plain bilinear resize, `align_corners=False`: pixel centres are mapped, and edges are clamped. */
function resizeBilinear(batch: ImageBatch, oh: number, ow: number): ImageBatch {
  const { data, n, height, width, channels } = batch;
  const out = new Float32Array(n * oh * ow * channels);
  const sy = height / oh;
  const sx = width / ow;
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      for (let i = 0; i < n; i++) {
        const base = i * height * width * channels;
        const dst = ((i * oh + y) * ow + x) * channels;
        for (let c = 0; c < channels; c++) {
          const p00 = data[base + (y0 * width + x0) * channels + c];
          const p01 = data[base + (y0 * width + x1) * channels + c];
          const p10 = data[base + (y1 * width + x0) * channels + c];
          const p11 = data[base + (y1 * width + x1) * channels + c];
          out[dst + c] = (1 - wy) * ((1 - wx) * p00 + wx * p01) + wy * ((1 - wx) * p10 + wx * p11);
        }
      }
    }
  }
  return { data: out, n, height: oh, width: ow, channels };
}

/**
 * Every image resized, bilinear: torchvision's `transforms.functional.resize(img, size,
 * InterpolationMode.BILINEAR, antialias=antialias)` on a float tensor. Returns the batch itself
 * when the size does not change, as torchvision does.
 */
export function resize(batch: ImageBatch, options: ResizeOptions): ImageBatch {
  checkSize('resize', options.size);
  const [oh, ow] = resizedSize(options.size, batch.height, batch.width);
  if (oh === batch.height && ow === batch.width) return batch;
  const downscaling = oh < batch.height || ow < batch.width;
  return (options.antialias ?? true) && downscaling ? resizeAntialias(batch, oh, ow) : resizeBilinear(batch, oh, ow);
}

/** Bilinear resize (torchvision `Resize`, antialiased when downscaling); `resize` is the function. */
export class Resize implements Transform {
  readonly name = 'Resize';

  /** Deterministic preprocessing: evaluation applies it too (a prototype getter, so it is no setting of the instance). */
  get evaluation(): boolean {
    return true;
  }
  readonly size: number | [number, number];
  readonly antialias: boolean;

  constructor(options: ResizeOptions) {
    checkOptions('Resize', options, '{ size: 32 }');
    checkSize(this.name, options.size);
    this.size = options.size;
    this.antialias = options.antialias ?? true;
  }

  /** The `[height, width]` it gives an image of `height x width`. */
  outputSize(height: number, width: number): [number, number] {
    return resizedSize(this.size, height, width);
  }

  apply(batch: ImageBatch): ImageBatch {
    return resize(batch, { size: this.size, antialias: this.antialias });
  }
}
