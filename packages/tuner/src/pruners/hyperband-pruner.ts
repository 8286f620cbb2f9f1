import type { FrozenTrial } from '../frozen-trial';
import type { StudyView } from '../samplers/sampler';
import { TunerError } from '../tuner-error';
import type { Pruner } from './pruner';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';

/**
 * optuna.pruners.HyperbandPruner (Li et al. 2018): several successive-halving brackets with
 * different aggressiveness; each trial is assigned to one bracket (weighted by bracket budget,
 * deterministically from its number) and competes only within it.
 */
export class HyperbandPruner implements Pruner {
  readonly brackets: SuccessiveHalvingPruner[];
  private readonly budgets: number[];

  constructor(options: { minResource?: number; maxResource: number; reductionFactor?: number }) {
    const min = options.minResource ?? 1;
    const eta = options.reductionFactor ?? 3;
    if (!(options.maxResource > min)) throw new TunerError(`maxResource: expected more than minResource (${min}), got ${options.maxResource}`);
    const n = Math.floor(Math.log(options.maxResource / min) / Math.log(eta) + 1e-9) + 1;
    this.brackets = Array.from({ length: n }, (_, i) => new SuccessiveHalvingPruner({ minResource: min, reductionFactor: eta, minEarlyStoppingRate: i }));
    this.budgets = Array.from({ length: n }, (_, i) => Math.ceil((n * eta ** (n - 1 - i)) / (n - i)));
    this.brackets.forEach((b, i) => {
      b.filter = (t) => this.bracketOf(t) === i;
    });
  }

  /** Deterministic bracket of a trial, proportional to bracket budgets. */
  bracketOf(trial: FrozenTrial): number {
    const total = this.budgets.reduce((a, b) => a + b, 0);
    // A simple integer hash of the trial number.
    let h = Math.imul(trial.number + 1, 2654435761) >>> 0;
    h = (h ^ (h >>> 16)) % total;
    for (let i = 0; i < this.budgets.length; i++) {
      if (h < this.budgets[i]) return i;
      h -= this.budgets[i];
    }
    return this.budgets.length - 1;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    return this.brackets[this.bracketOf(trial)].prune(study, trial);
  }
}
