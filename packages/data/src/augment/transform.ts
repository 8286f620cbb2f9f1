import { shownValue } from '@fmnist/core';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { DataError } from '../data-error';

/**
 * A per-sample image transform applied to a whole batch on the host (torchvision v2 semantics:
 * each image draws its own random parameters). Input values are floats, usually in [0, 1].
 */
export interface Transform {
  readonly name: string;
  /**
   * `true` for deterministic preprocessing that evaluation must apply too, as training applies it
   * (Normalize, Resize: torchvision puts them in the test transforms as well). Absent or false: a
   * training-only augmentation (random flips, crops, erasing, affine), which evaluation leaves out.
   * Default absent.
   */
  readonly evaluation?: boolean;
  /**
   * A container's evaluation transform (Compose: its deterministic steps, in order), undefined
   * when none; `evaluationTransform(t)` calls it in place of reading `evaluation`.
   */
  evaluationTransform?(): Transform | undefined;
  /**
   * `context` says which dataset images the batch holds and in which epoch: a `DataLoader` always
   * passes it; transforms that do not need it ignore it.
   */
  apply(batch: ImageBatch, rng: Rng, context?: SampleContext): ImageBatch;
}

/** Where a batch's images come from: their indices in the dataset, the epoch, and the loader's seed. */
export interface SampleContext {
  /** Dataset index of each image of the batch, in batch order. */
  readonly indices: ArrayLike<number>;
  /** The loader's epoch (0 first). */
  readonly epoch: number;
  /** The loader's seed. */
  readonly seed: number;
}

/**
 * What evaluation applies of a training transform: the transform itself when it is deterministic
 * preprocessing (`evaluation: true`), a container's deterministic steps in order (a Compose of
 * flips, a Resize and a Normalize gives Resize then Normalize; one step is that step), undefined
 * when nothing is left. Validation and `evaluate` prepare their images with it.
 */
export function evaluationTransform(transform: Transform | undefined): Transform | undefined {
  if (transform === undefined) return undefined;
  if (typeof transform.evaluationTransform === 'function') return transform.evaluationTransform();
  return transform.evaluation === true ? transform : undefined;
}

/**
 * A transform's options, checked to be one options object (or absent where all are optional):
 * torchvision's positional arguments (`RandomCrop(28, padding=2)`, `RandomHorizontalFlip(0.3)`)
 * get one error naming the transform and an `example` of its options, not a TypeError or a
 * silently ignored value.
 */
export function checkOptions<T>(name: string, options: T, example: string): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new DataError(name, `expected an options object such as ${example}, got ${shownValue(options)}`);
  return options;
}

/** A batch-level transform that also mixes the (one-hot or soft) targets: MixUp, CutMix. */
export interface MixTransform {
  readonly name: string;
  apply(batch: ImageBatch, targets: Float32Array, numClasses: number, rng: Rng): { batch: ImageBatch; targets: Float32Array };
}

export function checkProbability(name: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new DataError(name, `p must be in [0, 1], found ${shownValue(p)}`);
  return p;
}
