/** Trial states with Optuna's numeric values (they go into journal files). */
export enum TrialState {
  RUNNING = 0,
  COMPLETE = 1,
  PRUNED = 2,
  FAIL = 3,
  WAITING = 4,
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
