import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import type { Transform } from './transform';

/** Applies transforms in order, like `torchvision.transforms.v2.Compose`. */
export class Compose implements Transform {
  readonly name = 'Compose';
  constructor(readonly transforms: readonly Transform[]) {}

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    return this.transforms.reduce((b, t) => t.apply(b, rng), batch);
  }
}
