import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import type { Transform } from './transform';
import { DataError } from '../data-error';

export interface RandomCropOptions {
  /** Output size, `[h, w]` or one number for a square. */
  size: number | [number, number];
  /** Pixels of padding added on every side before cropping. Default 0. */
  padding?: number;
  /** Value of constant padding. Default 0. */
  fill?: number;
  /** `'constant'` (default), `'edge'` or `'reflect'`, as in torchvision. */
  paddingMode?: 'constant' | 'edge' | 'reflect';
}

/** Pads each image, then crops a random `size` window from it (torchvision `RandomCrop`). */
export class RandomCrop implements Transform {
  readonly name = 'RandomCrop';
  readonly size: [number, number];
  readonly padding: number;
  readonly fill: number;
  readonly paddingMode: 'constant' | 'edge' | 'reflect';

  constructor(options: RandomCropOptions) {
    this.size = typeof options.size === 'number' ? [options.size, options.size] : options.size;
    this.padding = options.padding ?? 0;
    this.fill = options.fill ?? 0;
    this.paddingMode = options.paddingMode ?? 'constant';
    if (!this.size.every((s) => Number.isInteger(s) && s > 0)) throw new DataError('RandomCrop', `size must be positive integers, found ${this.size}`);
    if (!Number.isInteger(this.padding) || this.padding < 0) throw new DataError('RandomCrop', `padding must be a non-negative integer, found ${this.padding}`);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const [oh, ow] = this.size;
    const pad = this.padding;
    if (oh > height + 2 * pad || ow > width + 2 * pad) {
      throw new DataError('RandomCrop', `crop ${oh}x${ow} is larger than the padded image ${height + 2 * pad}x${width + 2 * pad}`);
    }
    const out = new Float32Array(n * oh * ow * channels);
    for (let i = 0; i < n; i++) {
      const top = rng.int(0, height + 2 * pad - oh) - pad;
      const left = rng.int(0, width + 2 * pad - ow) - pad;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const dst = ((i * oh + y) * ow + x) * channels;
          const sy = this.mapCoord(top + y, height);
          const sx = this.mapCoord(left + x, width);
          for (let c = 0; c < channels; c++) {
            out[dst + c] = sy < 0 || sx < 0 ? this.fill : data[((i * height + sy) * width + sx) * channels + c];
          }
        }
      }
    }
    return { data: out, n, height: oh, width: ow, channels };
  }

  /** Source coordinate for a padded coordinate, or -1 for constant fill. */
  private mapCoord(v: number, size: number): number {
    if (v >= 0 && v < size) return v;
    if (this.paddingMode === 'constant') return -1;
    if (this.paddingMode === 'edge') return v < 0 ? 0 : size - 1;
    if (size === 1) return 0;
    // Reflect without repeating the edge: period 2 * (size - 1).
    const period = 2 * (size - 1);
    const m = ((v % period) + period) % period;
    return m < size ? m : period - m;
  }
}
