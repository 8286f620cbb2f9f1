import { shownValue } from '@fmnist/core';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { checkOptions, type MixTransform } from './transform';
import { DataError } from '../data-error';

/** Gamma(shape, 1) by Marsaglia-Tsang. */
function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * rng.random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(a, b) from two gamma draws. */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const x = sampleGamma(a, rng);
  const y = sampleGamma(b, rng);
  return x / (x + y);
}

/** A permutation pairing each sample with another of the batch. */
export function pairPermutation(n: number, rng: Rng): number[] {
  return rng.shuffle(Array.from({ length: n }, (_, i) => i));
}

/** MixUp (Zhang et al. 2018): blends each image and its target with another sample's, λ ~ Beta(α, α). */
export class MixUp implements MixTransform {
  readonly name = 'MixUp';
  readonly alpha: number;

  constructor(options: { alpha?: number } = {}) {
    checkOptions('MixUp', options, '{ alpha: 1 }');
    this.alpha = options.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !(this.alpha > 0 && Number.isFinite(this.alpha)))
      throw new DataError('MixUp', `alpha must be positive, found ${shownValue(this.alpha)}`);
  }

  apply(batch: ImageBatch, targets: Float32Array, numClasses: number, rng: Rng) {
    const lambda = sampleBeta(this.alpha, this.alpha, rng);
    const perm = pairPermutation(batch.n, rng);
    const size = batch.height * batch.width * batch.channels;
    const data = new Float32Array(batch.data.length);
    const mixed = new Float32Array(targets.length);
    for (let i = 0; i < batch.n; i++) {
      const j = perm[i];
      for (let k = 0; k < size; k++) data[i * size + k] = lambda * batch.data[i * size + k] + (1 - lambda) * batch.data[j * size + k];
      for (let k = 0; k < numClasses; k++) mixed[i * numClasses + k] = lambda * targets[i * numClasses + k] + (1 - lambda) * targets[j * numClasses + k];
    }
    return { batch: { ...batch, data }, targets: mixed };
  }
}
