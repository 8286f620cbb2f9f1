import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { checkProbability, type Transform } from './transform';

/** Mirrors each image left-right with probability `p` (default 0.5). */
export class RandomHorizontalFlip implements Transform {
  readonly name = 'RandomHorizontalFlip';
  readonly p: number;

  constructor(options: { p?: number } = {}) {
    this.p = checkProbability(this.name, options.p ?? 0.5);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const rowLen = width * channels;
    for (let i = 0; i < n; i++) {
      if (rng.random() >= this.p) continue;
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
    return batch;
  }
}

/** Mirrors each image top-bottom with probability `p` (default 0.5). */
export class RandomVerticalFlip implements Transform {
  readonly name = 'RandomVerticalFlip';
  readonly p: number;

  constructor(options: { p?: number } = {}) {
    this.p = checkProbability(this.name, options.p ?? 0.5);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const rowLen = width * channels;
    const tmp = new Float32Array(rowLen);
    for (let i = 0; i < n; i++) {
      if (rng.random() >= this.p) continue;
      for (let y = 0; y < height >> 1; y++) {
        const a = (i * height + y) * rowLen;
        const b = (i * height + height - 1 - y) * rowLen;
        tmp.set(data.subarray(a, a + rowLen));
        data.copyWithin(a, b, b + rowLen);
        data.set(tmp, b);
      }
    }
    return batch;
  }
}
