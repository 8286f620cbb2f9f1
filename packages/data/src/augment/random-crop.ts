import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { type CropParams, checkPaddingMode, cropImage, type Padding, type PaddingMode, paddingSides } from './crop';
import { checkOptions, type Transform } from './transform';

export interface RandomCropOptions {
  /** Output size, `[h, w]` or one number for a square. */
  size: number | [number, number];
  /** Pixels of padding added before cropping: all sides, `[leftRight, topBottom]` or `[left, top, right, bottom]`. Default 0. */
  padding?: Padding;
  /** Value of constant padding. Default 0. */
  fill?: number;
  /** `'constant'` (default), `'edge'`, `'reflect'` or `'symmetric'`, as in torchvision. */
  paddingMode?: PaddingMode;
}

/** Pads each image, then crops a random `size` window from it (torchvision `RandomCrop`; `pad` then `crop` at given offsets). */
export class RandomCrop implements Transform {
  readonly name = 'RandomCrop';
  readonly size: [number, number];
  /** `[left, top, right, bottom]`. */
  readonly padding: [number, number, number, number];
  readonly fill: number;
  readonly paddingMode: PaddingMode;

  constructor(options: RandomCropOptions) {
    checkOptions('RandomCrop', options, '{ size: 28, padding: 2 }');
    this.size = typeof options.size === 'number' ? [options.size, options.size] : options.size;
    this.padding = paddingSides(this.name, options.padding ?? 0);
    this.fill = options.fill ?? 0;
    this.paddingMode = checkPaddingMode(this.name, options.paddingMode ?? 'constant');
    if (!this.size.every((s) => Number.isInteger(s) && s > 0))
      throw new DataError('RandomCrop', `size must be positive integers, found ${shownValue(this.size)}`);
  }

  /**
   * One image's window in the padded image, as torchvision's `get_params` (the top row, then the
   * left column): `crop(pad(image, padding), params)` is what `apply` gives that image.
   */
  sampleParams(rng: Rng, height: number, width: number): CropParams {
    const [padLeft, padTop, padRight, padBottom] = this.padding;
    const [oh, ow] = this.size;
    return { top: rng.int(0, height + padTop + padBottom - oh), left: rng.int(0, width + padLeft + padRight - ow), height: oh, width: ow };
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const [oh, ow] = this.size;
    const [padLeft, padTop, padRight, padBottom] = this.padding;
    const ph = height + padTop + padBottom;
    const pw = width + padLeft + padRight;
    if (oh > ph || ow > pw) throw new DataError('RandomCrop', `crop ${oh}x${ow} is larger than the padded image ${ph}x${pw}`);
    const out = new Float32Array(n * oh * ow * channels);
    const inSize = height * width * channels;
    const outSize = oh * ow * channels;
    for (let i = 0; i < n; i++) {
      const { top, left } = this.sampleParams(rng, height, width);
      cropImage(data, i * inSize, height, width, channels, out, i * outSize, top - padTop, left - padLeft, oh, ow, this.paddingMode, this.fill);
    }
    return { data: out, n, height: oh, width: ow, channels };
  }
}
