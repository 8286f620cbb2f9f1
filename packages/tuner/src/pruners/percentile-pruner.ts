import { type FrozenTrial, lastIntermediate } from '../frozen-trial';
import type { StudyView } from '../samplers/sampler';
import { TrialState } from '../trial-state';
import { TunerError } from '../tuner-error';
import type { Pruner } from './pruner';

export interface PercentilePrunerOptions {
  /** Finished trials needed before pruning starts. Default 5. */
  nStartupTrials?: number;
  /** Steps of a trial before it can be pruned. Default 0. */
  nWarmupSteps?: number;
  /** Check every this many steps (after warm-up). Default 1. */
  intervalSteps?: number;
  /** Trials that must have reported at the step. Default 1. */
  nMinTrials?: number;
}

/** Percentile of `values` (linear interpolation, like numpy). */
function percentileOf(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  return s[lo] + (s[Math.ceil(rank)] - s[lo]) * (rank - lo);
}

/**
 * optuna.pruners.PercentilePruner: prune when the trial's best value so far is worse than the
 * given percentile of the other finished trials' values at the same step.
 */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, options: PercentilePrunerOptions = {}) {
    if (!(percentile >= 0 && percentile <= 100)) throw new TunerError(`percentile: expected 0 to 100, got ${percentile}`);
    this.percentile = percentile;
    this.nStartupTrials = options.nStartupTrials ?? 5;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    this.intervalSteps = options.intervalSteps ?? 1;
    this.nMinTrials = options.nMinTrials ?? 1;
    if (!Number.isInteger(this.intervalSteps) || this.intervalSteps < 1)
      throw new TunerError(`intervalSteps: expected a positive integer, got ${this.intervalSteps}`);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const finished = study.trials.filter((t) => t.state === TrialState.COMPLETE);
    if (finished.length < this.nStartupTrials) return false;
    const last = lastIntermediate(trial);
    if (!last) return false;
    const [step] = last;
    if (step < this.nWarmupSteps) return false;
    if ((step - this.nWarmupSteps) % this.intervalSteps !== 0) return false;
    const maximize = study.directions[0] === 'maximize';
    const own = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
    if (own.length === 0) return true; // only NaNs reported: Optuna prunes
    const best = maximize ? Math.max(...own) : Math.min(...own);
    const others = finished.map((t) => t.intermediateValues[step]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (others.length < this.nMinTrials) return false;
    const threshold = percentileOf(others, maximize ? 100 - this.percentile : this.percentile);
    return maximize ? best < threshold : best > threshold;
  }
}

/** optuna.pruners.MedianPruner: PercentilePruner at the 50th percentile. */
export class MedianPruner extends PercentilePruner {
  constructor(options: PercentilePrunerOptions = {}) {
    super(50, options);
  }
}
