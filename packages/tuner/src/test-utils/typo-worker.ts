// Worker module whose objective has a bug (what `return lerning_rate * 2` does at run time).
import type { Trial } from '../trial';

export function objective(trial: Trial): number {
  trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
  throw new ReferenceError('lerning_rate is not defined');
}
