import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';

/** How pixels beyond the border are made up, as torchvision's `padding_mode`. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** Pixels added on each side: all four, `[leftRight, topBottom]`, or `[left, top, right, bottom]` (torchvision's order). */
export type Padding = number | [number, number] | [number, number, number, number];

/** `padding` as `[left, top, right, bottom]`, checked (`name` is the transform errors name). */
export function paddingSides(name: string, padding: Padding): [number, number, number, number] {
  const sides: number[] =
    typeof padding === 'number' ? [padding, padding, padding, padding] : padding.length === 2 ? [padding[0], padding[1], padding[0], padding[1]] : [...padding];
  if (sides.length !== 4 || !sides.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new DataError(name, `padding must be a non-negative integer, [leftRight, topBottom] or [left, top, right, bottom], found ${shownValue(padding)}`);
  }
  return sides as [number, number, number, number];
}

export function checkPaddingMode(name: string, mode: PaddingMode): PaddingMode {
  if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect' && mode !== 'symmetric') {
    throw new DataError(name, `paddingMode must be 'constant', 'edge', 'reflect' or 'symmetric', found ${JSON.stringify(mode) ?? String(mode)}`);
  }
  return mode;
}

/** The source coordinate of `v` in a row or column of `size` pixels, or -1 for the constant fill. */
function sourceCoord(v: number, size: number, mode: PaddingMode): number {
  if (v >= 0 && v < size) return v;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return v < 0 ? 0 : size - 1;
  if (mode === 'symmetric') {
    // Reflect repeating the edge: period 2 * size.
    const m = ((v % (2 * size)) + 2 * size) % (2 * size);
    return m < size ? m : 2 * size - 1 - m;
  }
  if (size === 1) return 0;
  // Reflect without repeating the edge: period 2 * (size - 1).
  const period = 2 * (size - 1);
  const m = ((v % period) + period) % period;
  return m < size ? m : period - m;
}

/**
 * Copies the `outHeight x outWidth` window whose top-left corner is (`top`, `left`) of one image
 * (the floats at `srcBase`) into `out` at `outBase`; the window may reach beyond the image, where
 * pixels are made up by `mode` (`fill` for `'constant'`). Padding then cropping, in one pass.
 */
export function cropImage(
  src: Float32Array,
  srcBase: number,
  height: number,
  width: number,
  channels: number,
  out: Float32Array,
  outBase: number,
  top: number,
  left: number,
  outHeight: number,
  outWidth: number,
  mode: PaddingMode,
  fill: number,
): void {
  for (let y = 0; y < outHeight; y++) {
    const sy = sourceCoord(top + y, height, mode);
    for (let x = 0; x < outWidth; x++) {
      const sx = sourceCoord(left + x, width, mode);
      const dst = outBase + (y * outWidth + x) * channels;
      const at = srcBase + (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = sy < 0 || sx < 0 ? fill : src[at + c];
    }
  }
}

function cropBatch(batch: ImageBatch, top: number, left: number, outHeight: number, outWidth: number, mode: PaddingMode, fill: number): ImageBatch {
  const { data, n, height, width, channels } = batch;
  const out = new Float32Array(n * outHeight * outWidth * channels);
  const inSize = height * width * channels;
  const outSize = outHeight * outWidth * channels;
  for (let i = 0; i < n; i++) cropImage(data, i * inSize, height, width, channels, out, i * outSize, top, left, outHeight, outWidth, mode, fill);
  return { data: out, n, height: outHeight, width: outWidth, channels };
}

export interface CropParams {
  /** Row of the window's top edge; may be negative or beyond the image (zeros are read there). */
  top: number;
  /** Column of the window's left edge; may be negative or beyond the image. */
  left: number;
  /** Window height in pixels. */
  height: number;
  /** Window width in pixels. */
  width: number;
}

/** The same window of every image: torchvision's `transforms.functional.crop(img, top, left, height, width)`. */
export function crop(batch: ImageBatch, params: CropParams): ImageBatch {
  const { top, left, height, width } = params;
  if (![top, left].every(Number.isInteger)) throw new DataError('crop', `top and left must be integers, found ${shownValue(top)}, ${shownValue(left)}`);
  if (![height, width].every((s) => Number.isInteger(s) && s > 0))
    throw new DataError('crop', `height and width must be positive integers, found ${shownValue(height)}, ${shownValue(width)}`);
  return cropBatch(batch, top, left, height, width, 'constant', 0);
}

export interface PadOptions {
  /** Pixels added on each side. */
  padding: Padding;
  /** Value of constant padding. Default 0. */
  fill?: number;
  /** Default `'constant'`, as torchvision. */
  paddingMode?: PaddingMode;
}

/** Every image padded: torchvision's `transforms.functional.pad(img, padding, fill, padding_mode)`. */
export function pad(batch: ImageBatch, options: PadOptions): ImageBatch {
  const [left, top, right, bottom] = paddingSides('pad', options.padding);
  const mode = checkPaddingMode('pad', options.paddingMode ?? 'constant');
  return cropBatch(batch, -top, -left, batch.height + top + bottom, batch.width + left + right, mode, options.fill ?? 0);
}
