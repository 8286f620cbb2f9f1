import { ProgressBar } from '@fmnist/trainer';
import type { Io } from './command';
import { count } from './count';

/** The training progress for this terminal: a live line within each epoch on a TTY, else plain lines every 30 s. */
export function trainProgress(io: Io): ProgressBar {
  const live = io.isTTY && io.progress !== undefined;
  return new ProgressBar({ live, write: live && io.progress ? io.progress : (t) => io.stderr(t.replace(/\n$/, '')) });
}

/** Progress of a pass over test data for `evaluate`'s onBatchEnd: a live count on a TTY, nothing otherwise (it is short). */
export function evalProgress(io: Io, what = 'evaluating'): ((batch: number, total: number) => void) | undefined {
  const write = io.isTTY ? io.progress : undefined;
  if (!write) return undefined;
  return (batch, total) => write(batch + 1 < total ? `\r${what} ${batch + 1}/${count(total, 'batch', 'batches')}` : '\r\u001b[K');
}
