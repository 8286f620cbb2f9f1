import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { sampleBilinear } from './sample-bilinear';
import type { Transform } from './transform';
import { DataError } from '../data-error';

export interface RandomAffineOptions {
  /** Rotation range in degrees: `d` means [-d, d]. Default 0. */
  degrees?: number | [number, number];
  /** Maximum shift as fractions of width and height, e.g. [0.1, 0.1]. Default none. */
  translate?: [number, number];
  /** Scale range, e.g. [0.9, 1.1]. Default none. */
  scale?: [number, number];
  /** Value for pixels coming from outside the image. Default 0. */
  fill?: number;
}

/** Random rotation, translation and scaling about the image centre, bilinear (torchvision `RandomAffine`). */
export class RandomAffine implements Transform {
  readonly name: string = 'RandomAffine';
  readonly degrees: [number, number];
  readonly translate?: [number, number];
  readonly scale?: [number, number];
  readonly fill: number;

  constructor(options: RandomAffineOptions = {}) {
    const d = options.degrees ?? 0;
    this.degrees = typeof d === 'number' ? [-Math.abs(d), Math.abs(d)] : d;
    this.translate = options.translate;
    this.scale = options.scale;
    this.fill = options.fill ?? 0;
    if (this.translate && !this.translate.every((t) => t >= 0 && t <= 1))
      throw new DataError(this.name, `translate must be in [0, 1], found ${this.translate}`);
    if (this.scale && !(this.scale[0] > 0 && this.scale[0] <= this.scale[1]))
      throw new DataError(this.name, `scale must satisfy 0 < min <= max, found ${this.scale}`);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const out = new Float32Array(data.length);
    const cy = (height - 1) / 2;
    const cx = (width - 1) / 2;
    const size = height * width * channels;
    for (let i = 0; i < n; i++) {
      const angle = (rng.uniform(this.degrees[0], this.degrees[1]) * Math.PI) / 180;
      const tx = this.translate ? Math.round(rng.uniform(-1, 1) * this.translate[0] * width) : 0;
      const ty = this.translate ? Math.round(rng.uniform(-1, 1) * this.translate[1] * height) : 0;
      const s = this.scale ? rng.uniform(this.scale[0], this.scale[1]) : 1;
      // Inverse map (counter-clockwise for positive angles, y pointing down): for each output
      // pixel, unshift, rotate back by -angle and unscale.
      const cos = Math.cos(angle) / s;
      const sin = Math.sin(angle) / s;
      const base = i * size;
      for (let y = 0; y < height; y++) {
        const dy = y - cy - ty;
        for (let x = 0; x < width; x++) {
          const dx = x - cx - tx;
          const srcX = cos * dx - sin * dy + cx;
          const srcY = sin * dx + cos * dy + cy;
          const dst = base + (y * width + x) * channels;
          for (let c = 0; c < channels; c++) {
            out[dst + c] = sampleBilinear(data, base, height, width, channels, c, srcY, srcX, this.fill);
          }
        }
      }
    }
    return { ...batch, data: out };
  }
}

/** Random rotation by up to `degrees` (torchvision `RandomRotation`). */
export class RandomRotation extends RandomAffine {
  override readonly name = 'RandomRotation';
  constructor(options: { degrees: number | [number, number]; fill?: number }) {
    super({ degrees: options.degrees, fill: options.fill });
  }
}
