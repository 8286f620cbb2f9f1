import { shownValue } from '@fmnist/core';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { pairPermutation, sampleBeta } from './mix-up';
import { checkOptions, type MixTransform } from './transform';
import { DataError } from '../data-error';

/** CutMix (Yun et al. 2019): pastes a box from another sample; targets mix by the pasted area. */
export class CutMix implements MixTransform {
  readonly name = 'CutMix';
  readonly alpha: number;

  constructor(options: { alpha?: number } = {}) {
    checkOptions('CutMix', options, '{ alpha: 1 }');
    this.alpha = options.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !(this.alpha > 0 && Number.isFinite(this.alpha)))
      throw new DataError('CutMix', `alpha must be positive, found ${shownValue(this.alpha)}`);
  }

  apply(batch: ImageBatch, targets: Float32Array, numClasses: number, rng: Rng) {
    const { n, height, width, channels } = batch;
    const lambda = sampleBeta(this.alpha, this.alpha, rng);
    const perm = pairPermutation(n, rng);
    const cutH = Math.floor(height * Math.sqrt(1 - lambda));
    const cutW = Math.floor(width * Math.sqrt(1 - lambda));
    const cy = rng.int(0, height - 1);
    const cx = rng.int(0, width - 1);
    const y0 = Math.max(cy - (cutH >> 1), 0);
    const y1 = Math.min(cy + (cutH >> 1), height);
    const x0 = Math.max(cx - (cutW >> 1), 0);
    const x1 = Math.min(cx + (cutW >> 1), width);
    const kept = 1 - ((y1 - y0) * (x1 - x0)) / (height * width);
    const data = batch.data.slice();
    const size = height * width * channels;
    for (let i = 0; i < n; i++) {
      const j = perm[i];
      for (let y = y0; y < y1; y++) {
        const from = j * size + (y * width + x0) * channels;
        data.set(batch.data.subarray(from, from + (x1 - x0) * channels), i * size + (y * width + x0) * channels);
      }
    }
    const mixed = new Float32Array(targets.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < numClasses; k++) mixed[i * numClasses + k] = kept * targets[i * numClasses + k] + (1 - kept) * targets[perm[i] * numClasses + k];
    }
    return { batch: { ...batch, data }, targets: mixed };
  }
}
