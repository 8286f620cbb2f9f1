import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { DataError } from '../data-error';

/**
 * A per-sample image transform applied to a whole batch on the host (torchvision v2 semantics:
 * each image draws its own random parameters). Input values are floats, usually in [0, 1].
 */
export interface Transform {
  readonly name: string;
  apply(batch: ImageBatch, rng: Rng): ImageBatch;
}

/** A batch-level transform that also mixes the (one-hot or soft) targets: MixUp, CutMix. */
export interface MixTransform {
  readonly name: string;
  apply(batch: ImageBatch, targets: Float32Array, numClasses: number, rng: Rng): { batch: ImageBatch; targets: Float32Array };
}

export function checkProbability(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new DataError(name, `p must be in [0, 1], found ${p}`);
  return p;
}
