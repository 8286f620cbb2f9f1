import type { Distribution, ParamValue } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { Rng } from '@fmnist/core';
import { sampleUniform } from './random-sampler';
import type { Sampler, StudyView } from './sampler';

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

function radicalInverse(index: number, base: number): number {
  let f = 1;
  let r = 0;
  let i = index;
  while (i > 0) {
    f /= base;
    r += f * (i % base);
    i = Math.floor(i / base);
  }
  return r;
}

/**
 * Quasi-random sampling with a Halton sequence (optuna.samplers.QMCSampler, qmc_type 'halton'),
 * randomised by a seeded Cranley-Patterson shift. Covers the space more evenly than random.
 * Each parameter gets its own prime base, in the order parameters are first seen.
 */
export class QMCSampler implements Sampler {
  private readonly shift = new Map<string, number>();
  private readonly bases = new Map<string, number>();
  private readonly rng: Rng;

  constructor(options: { seed?: number } = {}) {
    this.rng = new Rng(options.seed);
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    if (!this.bases.has(name)) {
      this.bases.set(name, PRIMES[this.bases.size % PRIMES.length]);
      this.shift.set(name, this.rng.random());
    }
    const u = (radicalInverse(trial.number, this.bases.get(name) as number) + (this.shift.get(name) as number)) % 1;
    // Map u through the same transforms as uniform sampling, with u as the "random" draw.
    const fixed = {
      random: () => u,
      uniform: (lo: number, hi: number) => lo + (hi - lo) * u,
      int: (n: number) => Math.min(n - 1, Math.floor(u * n)),
    } as unknown as Rng;
    return sampleUniform(d, fixed);
  }
}
