import type { FrozenTrial } from '../frozen-trial';
import type { StudyView } from '../samplers/sampler';

/** Optuna's pruner protocol: should this running trial stop, given what it reported so far? */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** optuna.pruners.NopPruner: never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
