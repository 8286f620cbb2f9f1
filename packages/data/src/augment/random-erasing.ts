import { shownValue } from '@fmnist/core';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { type EraseParams, eraseImage } from './erase';
import { roundHalfEven } from './round-half-even';
import { checkOptions, checkProbability, type Transform } from './transform';
import { DataError } from '../data-error';

export interface RandomErasingOptions {
  /** Probability of erasing each image. Default 0.5. */
  p?: number;
  /** Range of the erased area as a fraction of the image. Default [0.02, 0.33]. */
  scale?: [number, number];
  /** Range of the aspect ratio of the erased box. Default [0.3, 3.3]. */
  ratio?: [number, number];
  /** Fill value, or `'random'` for per-pixel normal noise. Default 0. */
  value?: number | 'random';
}

/** Erases a random rectangle of each image with probability p (torchvision `RandomErasing`, Zhong et al. 2017; `erase` at a given box). */
export class RandomErasing implements Transform {
  readonly name = 'RandomErasing';
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | 'random';

  constructor(options: RandomErasingOptions = {}) {
    checkOptions('RandomErasing', options, '{ p: 0.5 }');
    this.p = checkProbability(this.name, options.p ?? 0.5);
    this.scale = options.scale ?? [0.02, 0.33];
    this.ratio = options.ratio ?? [0.3, 3.3];
    this.value = options.value ?? 0;
    if (
      !(
        Array.isArray(this.scale) &&
        this.scale.length === 2 &&
        this.scale.every(Number.isFinite) &&
        this.scale[0] > 0 &&
        this.scale[0] <= this.scale[1] &&
        this.scale[1] <= 1
      )
    )
      throw new DataError('RandomErasing', `scale must satisfy 0 < min <= max <= 1, found ${shownValue(this.scale)}`);
    if (!(Array.isArray(this.ratio) && this.ratio.length === 2 && this.ratio.every(Number.isFinite) && this.ratio[0] > 0 && this.ratio[0] <= this.ratio[1]))
      throw new DataError('RandomErasing', `ratio must satisfy 0 < min <= max, found ${shownValue(this.ratio)}`);
  }

  /**
   * One image's box, as torchvision's `get_params`: up to 10 tries at an area in `scale` and a
   * log-uniform aspect ratio in `ratio`; `undefined` when none fits (the image is left unchanged).
   * `apply` draws it after a uniform number below `p`, and fills the box as `erase` does.
   */
  sampleParams(rng: Rng, height: number, width: number): Omit<EraseParams, 'value'> | undefined {
    const area = height * width;
    const logRatio = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * rng.uniform(this.scale[0], this.scale[1]);
      const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
      const h = roundHalfEven(Math.sqrt(eraseArea * aspect));
      const w = roundHalfEven(Math.sqrt(eraseArea / aspect));
      if (!(h < height && w < width)) continue;
      return { top: rng.int(0, height - h), left: rng.int(0, width - w), height: h, width: w };
    }
    return undefined;
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const size = height * width * channels;
    const value = this.value === 'random' ? () => rng.normal() : this.value;
    for (let i = 0; i < n; i++) {
      if (rng.random() >= this.p) continue;
      const box = this.sampleParams(rng, height, width);
      if (box) eraseImage(data, i * size, height, width, channels, box, value);
    }
    return batch;
  }
}
