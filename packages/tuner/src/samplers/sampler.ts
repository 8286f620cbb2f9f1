import type { Distribution, ParamValue } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import type { Direction, TrialState } from '../trial-state';

/** What a sampler or pruner sees of a study: its direction(s) and its trials so far. */
export interface StudyView {
  directions: Direction[];
  /** Every trial of the study, in number order. */
  trials: FrozenTrial[];
}

/** Optuna's sampler protocol: joint ("relative") sampling first, then one parameter at a time. */
export interface Sampler {
  /** The search space to sample jointly before the objective runs (empty for univariate samplers). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  afterTrial?(study: StudyView, trial: FrozenTrial, state: TrialState, values: number[] | null): void;
  /** Samplers with a finite space (grid) say when it is used up. */
  isExhausted?(study: StudyView): boolean;
}
