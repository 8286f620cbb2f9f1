import type { ImageBatch } from '../image-batch';
import type { Transform } from './transform';
import { DataError } from '../data-error';

/** `(x - mean) / std` per channel (torchvision `Normalize`). Fashion-MNIST: mean 0.2860, std 0.3530. */
export class Normalize implements Transform {
  readonly name = 'Normalize';
  readonly mean: number[];
  readonly std: number[];

  constructor(options: { mean: number | number[]; std: number | number[] }) {
    this.mean = [options.mean].flat();
    this.std = [options.std].flat();
    if (this.std.some((s) => !(s > 0))) throw new DataError('Normalize', `std must be positive, found ${this.std}`);
  }

  apply(batch: ImageBatch): ImageBatch {
    const { data, channels } = batch;
    if (this.mean.length !== 1 && this.mean.length !== channels) {
      throw new DataError('Normalize', `${this.mean.length} means for ${channels} channels`);
    }
    for (let i = 0; i < data.length; i++) {
      const c = i % channels;
      data[i] = (data[i] - this.mean[this.mean.length === 1 ? 0 : c]) / this.std[this.std.length === 1 ? 0 : c];
    }
    return batch;
  }
}
