import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { checkOptions, checkProbability, type Transform } from './transform';

/** Mirrors image `i` of the batch left-right, in place. */
export function hflipImage(batch: ImageBatch, i: number): void {
  const { data, height, width, channels } = batch;
  const rowLen = width * channels;
  for (let y = 0; y < height; y++) {
    const row = (i * height + y) * rowLen;
    for (let x = 0; x < width >> 1; x++) {
      const a = row + x * channels;
      const b = row + (width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) {
        const t = data[a + c];
        data[a + c] = data[b + c];
        data[b + c] = t;
      }
    }
  }
}

/** Mirrors image `i` of the batch top-bottom, in place, through the row buffer `tmp`. */
function vflipImage(batch: ImageBatch, i: number, tmp: Float32Array): void {
  const { data, height } = batch;
  const rowLen = tmp.length;
  for (let y = 0; y < height >> 1; y++) {
    const a = (i * height + y) * rowLen;
    const b = (i * height + height - 1 - y) * rowLen;
    tmp.set(data.subarray(a, a + rowLen));
    data.copyWithin(a, b, b + rowLen);
    data.set(tmp, b);
  }
}

/** Every image mirrored left-right, in place: torchvision's `transforms.functional.hflip`. */
export function hflip(batch: ImageBatch): ImageBatch {
  for (let i = 0; i < batch.n; i++) hflipImage(batch, i);
  return batch;
}

/** Every image mirrored top-bottom, in place: torchvision's `transforms.functional.vflip`. */
export function vflip(batch: ImageBatch): ImageBatch {
  const tmp = new Float32Array(batch.width * batch.channels);
  for (let i = 0; i < batch.n; i++) vflipImage(batch, i, tmp);
  return batch;
}

/** Mirrors each image left-right with probability `p` (default 0.5; torchvision `RandomHorizontalFlip`). */
export class RandomHorizontalFlip implements Transform {
  readonly name = 'RandomHorizontalFlip';
  readonly p: number;

  constructor(options: { p?: number } = {}) {
    checkOptions('RandomHorizontalFlip', options, '{ p: 0.5 }');
    this.p = checkProbability(this.name, options.p ?? 0.5);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    for (let i = 0; i < batch.n; i++) if (rng.random() < this.p) hflipImage(batch, i);
    return batch;
  }
}

/** Mirrors each image top-bottom with probability `p` (default 0.5; torchvision `RandomVerticalFlip`). */
export class RandomVerticalFlip implements Transform {
  readonly name = 'RandomVerticalFlip';
  readonly p: number;

  constructor(options: { p?: number } = {}) {
    checkOptions('RandomVerticalFlip', options, '{ p: 0.5 }');
    this.p = checkProbability(this.name, options.p ?? 0.5);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const tmp = new Float32Array(batch.width * batch.channels);
    for (let i = 0; i < batch.n; i++) if (rng.random() < this.p) vflipImage(batch, i, tmp);
    return batch;
  }
}
