import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';
import { checkOptions, type Transform } from './transform';

export interface NormalizeOptions {
  /** One mean for every channel, or one per channel. */
  mean: number | number[];
  /** One standard deviation for every channel, or one per channel; positive. */
  std: number | number[];
}

function checkNormalize(name: string, options: NormalizeOptions): { mean: number[]; std: number[] } {
  const mean = [options.mean].flat();
  const std = [options.std].flat();
  if (mean.some((m) => typeof m !== 'number' || !Number.isFinite(m)))
    throw new DataError(name, `mean must be finite numbers, found ${shownValue(options.mean)}`);
  if (std.some((s) => typeof s !== 'number' || !(s > 0 && Number.isFinite(s))))
    throw new DataError(name, `std must be positive, found ${shownValue(options.std)}`);
  return { mean, std };
}

/** `(x - mean) / std` per channel, in place: torchvision's `transforms.functional.normalize`. */
export function normalize(batch: ImageBatch, options: NormalizeOptions): ImageBatch {
  const { mean, std } = checkNormalize('normalize', options);
  const { data, channels } = batch;
  for (const [field, values] of [
    ['means', mean],
    ['stds', std],
  ] as const) {
    if (values.length !== 1 && values.length !== channels) throw new DataError('Normalize', `${values.length} ${field} for ${channels} channels`);
  }
  for (let i = 0; i < data.length; i++) {
    const c = i % channels;
    data[i] = (data[i] - mean[mean.length === 1 ? 0 : c]) / std[std.length === 1 ? 0 : c];
  }
  return batch;
}

/** `(x - mean) / std` per channel (torchvision `Normalize`). Fashion-MNIST: mean 0.2860, std 0.3530. */
export class Normalize implements Transform {
  readonly name = 'Normalize';

  /** Deterministic preprocessing: evaluation applies it too (a prototype getter, so it is no setting of the instance). */
  get evaluation(): boolean {
    return true;
  }
  readonly mean: number[];
  readonly std: number[];

  constructor(options: NormalizeOptions) {
    checkOptions('Normalize', options, '{ mean: 0.2860, std: 0.3530 }');
    ({ mean: this.mean, std: this.std } = checkNormalize(this.name, options));
  }

  apply(batch: ImageBatch): ImageBatch {
    return normalize(batch, { mean: this.mean, std: this.std });
  }
}
