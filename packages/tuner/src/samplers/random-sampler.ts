import type { Distribution, ParamValue } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { Rng } from '@fmnist/core';
import type { Sampler, StudyView } from './sampler';

/** Draws a value uniformly (in log space when `log`), on the step grid when there is one. */
export function sampleUniform(d: Distribution, rng: Rng): ParamValue {
  if (d.kind === 'categorical') return d.choices[rng.int(0, d.choices.length - 1)];
  if (d.kind === 'int') {
    if (d.log) {
      const v = Math.exp(rng.uniform(Math.log(d.low - 0.5), Math.log(d.high + 0.5)));
      return Math.min(d.high, Math.max(d.low, Math.round(v)));
    }
    const n = Math.floor((d.high - d.low) / d.step) + 1;
    return d.low + rng.int(0, n - 1) * d.step;
  }
  if (d.log) return Math.min(d.high, Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high))));
  if (d.step !== null) {
    const n = Math.round((d.high - d.low) / d.step) + 1;
    return Math.min(d.high, d.low + rng.int(0, n - 1) * d.step);
  }
  return rng.uniform(d.low, d.high);
}

/** optuna.samplers.RandomSampler: independent uniform draws, seeded. */
export class RandomSampler implements Sampler {
  readonly rng: Rng;
  constructor(options: { seed?: number } = {}) {
    this.rng = new Rng(options.seed);
  }
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }
  sampleRelative(): Record<string, ParamValue> {
    return {};
  }
  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, d: Distribution): ParamValue {
    return sampleUniform(d, this.rng);
  }
}
