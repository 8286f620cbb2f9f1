// Worker module that crashes its process in the middle of a trial (a native abort, an OOM kill).
import type { Trial } from '../trial';

export async function objective(trial: Trial): Promise<number> {
  trial.suggestFloat('x', 0, 1);
  process.stderr.write('about to crash\n');
  process.exit(3);
}
