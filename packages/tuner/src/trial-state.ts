import { TunerError } from './tuner-error';

/**
 * A trial's state (optuna.trial.TrialState). Its values are the names, so a state reads as
 * `FAIL` wherever users see it: `String(state)`, logs, `console.log(trial)`, JSON summaries
 * (Optuna's `TrialState.FAIL.name`, as in `trials_dataframe()`). Storages keep Optuna's numbers
 * (`trialStateToOptuna`), so journal files stay what Python's Optuna writes and reads.
 */
export enum TrialState {
  RUNNING = 'RUNNING',
  COMPLETE = 'COMPLETE',
  PRUNED = 'PRUNED',
  FAIL = 'FAIL',
  WAITING = 'WAITING',
}

/** Optuna's numbers for the states (`TrialState.FAIL.value` is 3), as journal files and databases hold them. */
const OPTUNA_NUMBER: Record<TrialState, number> = {
  [TrialState.RUNNING]: 0,
  [TrialState.COMPLETE]: 1,
  [TrialState.PRUNED]: 2,
  [TrialState.FAIL]: 3,
  [TrialState.WAITING]: 4,
};

const BY_NUMBER: readonly TrialState[] = [TrialState.RUNNING, TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL, TrialState.WAITING];

/** The number Optuna stores for `state` (RUNNING 0, COMPLETE 1, PRUNED 2, FAIL 3, WAITING 4). */
export function trialStateToOptuna(state: TrialState): number {
  const n = OPTUNA_NUMBER[state];
  if (n === undefined) throw new TunerError(`state: expected a TrialState (${BY_NUMBER.join(', ')}), got ${JSON.stringify(state)}`);
  return n;
}

/** The state for Optuna's stored number; anything else is an error naming the value. */
export function trialStateFromOptuna(value: unknown): TrialState {
  const state = typeof value === 'number' && Number.isInteger(value) ? BY_NUMBER[value] : undefined;
  if (state === undefined) throw new TunerError(`state: expected Optuna's TrialState number 0 to 4, got ${JSON.stringify(value)}`);
  return state;
}

/** Study directions with Optuna's numeric values. */
export enum StudyDirection {
  NOT_SET = 0,
  MINIMIZE = 1,
  MAXIMIZE = 2,
}

export type Direction = 'minimize' | 'maximize';

export function isFinished(state: TrialState): boolean {
  return state === TrialState.COMPLETE || state === TrialState.PRUNED || state === TrialState.FAIL;
}

export function toStudyDirection(d: Direction): StudyDirection {
  return d === 'maximize' ? StudyDirection.MAXIMIZE : StudyDirection.MINIMIZE;
}

export function fromStudyDirection(d: StudyDirection): Direction {
  return d === StudyDirection.MAXIMIZE ? 'maximize' : 'minimize';
}
