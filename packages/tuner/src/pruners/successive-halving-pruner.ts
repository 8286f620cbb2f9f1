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

  /**
   * Optuna's rule, NaN included: a NaN value at a rung prunes the trial (and is never stored as a
   * rung value); ±Infinity competes like any other value.
   */
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
      if (Number.isNaN(value)) return true;
      const key = `completed_rung_${rung}`;
      trial.systemAttrs[key] = value;
      const competing = study.trials
        .filter((t) => t.trialId !== trial.trialId && this.filter(t) && t.systemAttrs[key] !== undefined && t.state !== TrialState.FAIL)
        .map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      // Optuna's _is_trial_promotable_to_next_rung: the top 1/reductionFactor goes on; with fewer
      // than reductionFactor values, only the best so far (Optuna cannot pause a trial to wait).
      const promotable = Math.max(Math.floor(competing.length / this.reductionFactor) - 1, 0);
      competing.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const promoted = maximize ? value >= competing[competing.length - 1 - promotable] : value <= competing[promotable];
      if (!promoted) return true;
      rung++;
    }
  }
}
