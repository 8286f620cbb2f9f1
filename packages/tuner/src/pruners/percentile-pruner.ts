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

/** numpy's `_lerp`, whose order of operations decides what an infinite neighbour gives (often NaN). */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `np.nanpercentile(values, q)` (linear method): NaNs left out; NaN when nothing is left. */
export function nanPercentile(values: number[], q: number): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (s.length === 0) return Number.NaN;
  const rank = (q / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  return lerp(s[lo], s[Math.min(lo + 1, s.length - 1)], rank - lo);
}

/**
 * Optuna's `_is_first_in_interval_step`: whether `step` is the first reported step at or after
 * the latest pruning step (warm-up plus a multiple of the interval), so each interval is
 * checked once even when steps are skipped.
 */
function isFirstInIntervalStep(step: number, steps: number[], nWarmupSteps: number, intervalSteps: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  const secondLastStep = steps.reduce((acc, s) => (s > acc && s !== step ? s : acc), -1);
  return secondLastStep < nearestLowerPruningStep;
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

  /**
   * Optuna's rule, NaN included: a trial that reported only NaN is pruned; NaNs of the finished
   * trials are left out of the percentile (np.nanpercentile) but count towards `nMinTrials`;
   * with no percentile to compare with (all NaN, or too few trials) nothing is pruned.
   */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const finished = study.trials.filter((t) => t.state === TrialState.COMPLETE);
    if (finished.length === 0 || finished.length < this.nStartupTrials) return false;
    const last = lastIntermediate(trial);
    if (!last) return false;
    const [step] = last;
    if (step < this.nWarmupSteps) return false;
    const steps = Object.keys(trial.intermediateValues).map(Number);
    if (!isFirstInIntervalStep(step, steps, this.nWarmupSteps, this.intervalSteps)) return false;
    const maximize = study.directions[0] === 'maximize';
    const own = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
    if (own.length === 0) return true; // np.nanmin of only NaNs is NaN: Optuna prunes
    const best = maximize ? Math.max(...own) : Math.min(...own);
    const others = finished.filter((t) => step in t.intermediateValues).map((t) => t.intermediateValues[step]);
    if (others.length < this.nMinTrials) return false;
    const threshold = nanPercentile(others, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(threshold)) return false;
    return maximize ? best < threshold : best > threshold;
  }
}

/** optuna.pruners.MedianPruner: PercentilePruner at the 50th percentile. */
export class MedianPruner extends PercentilePruner {
  constructor(options: PercentilePrunerOptions = {}) {
    super(50, options);
  }
}
