import { type FrozenTrial, lastIntermediate } from '../frozen-trial';
import type { StudyView } from '../samplers/sampler';
import { TrialState } from '../trial-state';
import { TunerError } from '../tuner-error';
import type { Pruner } from './pruner';

export interface SuccessiveHalvingOptions {
  /** Steps before the first rung. Default 1. */
  minResource?: number;
  /** Keep the top 1/reductionFactor at each rung. Default 4. */
  reductionFactor?: number;
  /** Default 0. */
  minEarlyStoppingRate?: number;
  /** Trials needed at a rung before promotion decisions. Default 0. */
  bootstrapCount?: number;
}

/**
 * optuna.pruners.SuccessiveHalvingPruner (asynchronous SHA, Li et al. 2018): at rung r (after
 * minResource * reductionFactor^(minEarlyStoppingRate + r) steps) a trial goes on only if its
 * value is in the top 1/reductionFactor of all values recorded at that rung.
 * Rung values live in the trial's system attributes (`completed_rung_r`), as Optuna stores them.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  /** Which trials to compare with (Hyperband narrows this to one bracket). */
  filter: (t: FrozenTrial) => boolean = () => true;

  constructor(options: SuccessiveHalvingOptions = {}) {
    this.minResource = options.minResource ?? 1;
    this.reductionFactor = options.reductionFactor ?? 4;
    this.minEarlyStoppingRate = options.minEarlyStoppingRate ?? 0;
    this.bootstrapCount = options.bootstrapCount ?? 0;
    if (this.reductionFactor < 2) throw new TunerError(`reductionFactor: expected >= 2, got ${this.reductionFactor}`);
    if (!(this.minResource >= 1)) throw new TunerError(`minResource: expected >= 1, got ${this.minResource}`);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const last = lastIntermediate(trial);
    if (!last) return false;
    const [step, value] = last;
    const maximize = study.directions[0] === 'maximize';
    let rung = 0;
    while (trial.systemAttrs[`completed_rung_${rung}`] !== undefined) rung++;
    for (;;) {
      const resource = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < resource) return false;
      trial.systemAttrs[`completed_rung_${rung}`] = value;
      const key = `completed_rung_${rung}`;
      const competing = study.trials
        .filter((t) => t.trialId !== trial.trialId && this.filter(t) && t.systemAttrs[key] !== undefined && t.state !== TrialState.FAIL)
        .map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      const keep = Math.floor(competing.length / this.reductionFactor);
      if (keep === 0) {
        if (competing.length < this.reductionFactor) {
          // Too few to rank yet: only the single best so far survives (Optuna's rule).
          const best = maximize ? Math.max(...competing) : Math.min(...competing);
          if (value !== best) return true;
        } else return true;
      } else {
        const sorted = [...competing].sort((a, b) => (maximize ? b - a : a - b));
        const threshold = sorted[keep - 1];
        if (maximize ? value < threshold : value > threshold) return true;
      }
      rung++;
    }
  }
}
