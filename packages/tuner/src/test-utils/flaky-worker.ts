// Worker module whose objective throws a TypeError on trial 0, and which tells the workers to catch it.
import type { Trial } from '../trial';

export const catchErrors = [TypeError];

export function objective(trial: Trial): number {
  const x = trial.suggestFloat('x', 0, 1);
  if (trial.number === 0) throw new TypeError('flaky');
  return x;
}
