import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';

/** The box `torchvision.transforms.functional.erase` overwrites, and with what. */
export interface EraseParams {
  /** Row of the box's top edge. */
  top: number;
  /** Column of the box's left edge. */
  left: number;
  /** Box height; the part beyond the image is ignored, as Python slicing does. */
  height: number;
  /** Box width. */
  width: number;
  /** The value written. */
  value: number;
}

/**
 * Overwrites the box of one image (the floats at `base`) with `value`, or with what `value()`
 * returns for each pixel and channel (RandomErasing's `'random'`).
 */
export function eraseImage(
  data: Float32Array,
  base: number,
  height: number,
  width: number,
  channels: number,
  box: Omit<EraseParams, 'value'>,
  value: number | (() => number),
): void {
  const y1 = Math.min(box.top + box.height, height);
  const x1 = Math.min(box.left + box.width, width);
  for (let y = Math.max(box.top, 0); y < y1; y++) {
    for (let x = Math.max(box.left, 0); x < x1; x++) {
      const at = base + (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[at + c] = typeof value === 'number' ? value : value();
    }
  }
}

/** The same box erased in every image, in place: torchvision's `transforms.functional.erase(img, i, j, h, w, v)`. */
export function erase(batch: ImageBatch, params: EraseParams): ImageBatch {
  const { top, left, height, width, value } = params;
  if (![top, left, height, width].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new DataError(
      'erase',
      `top, left, height and width must be non-negative integers, found ${shownValue(top)}, ${shownValue(left)}, ${shownValue(height)}, ${shownValue(width)}`,
    );
  }
  const size = batch.height * batch.width * batch.channels;
  for (let i = 0; i < batch.n; i++) eraseImage(batch.data, i * size, batch.height, batch.width, batch.channels, params, value);
  return batch;
}
