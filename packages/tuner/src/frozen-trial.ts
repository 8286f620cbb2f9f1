import type { Distribution, ParamValue } from './distributions';
import type { TrialState } from './trial-state';

/** A trial as stored: what the sampler, pruner and user see (Optuna's FrozenTrial). */
export interface FrozenTrial {
  /** Storage-wide id. */
  trialId: number;
  /** 0-based number within the study. */
  number: number;
  state: TrialState;
  /** Objective value (single-objective). */
  value: number | null;
  /** Objective values (multi-objective). */
  values: number[] | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  /** step -> reported value */
  intermediateValues: Record<number, number>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
}

/** The last reported (step, value), if any. */
export function lastIntermediate(t: FrozenTrial): [number, number] | undefined {
  const steps = Object.keys(t.intermediateValues).map(Number);
  if (steps.length === 0) return undefined;
  const last = Math.max(...steps);
  return [last, t.intermediateValues[last]];
}
