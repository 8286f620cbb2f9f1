import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../../../core/src/test-utils/python';

const READER = fileURLToPath(new URL('./tensorboard-read.py', import.meta.url));

/**
 * Where Python's `tensorboard` is: `FMNIST_PYTHONPATH`, else the private folder that
 * `scripts/bootstrap.sh` installs it into (`FMNIST_PIP_EXTRA=tensorboard`, as `npm test` asks).
 */
export const TENSORBOARD_PYTHONPATH = process.env.FMNIST_PYTHONPATH ?? fileURLToPath(new URL('../../../../.fmnist-cache/python', import.meta.url));
const env = { ...process.env, PYTHONPATH: TENSORBOARD_PYTHONPATH };

/** Whether `PYTHON` imports TensorBoard's EventAccumulator from `TENSORBOARD_PYTHONPATH`. */
export function tensorboardReaderFound(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import tensorboard.backend.event_processing.event_accumulator'], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}

/** Why a reader test is skipped, for its title ('' when the reader is there). */
export function tensorboardSkipNote(found: boolean): string {
  return found
    ? ''
    : ` (skipped: no tensorboard for ${PYTHON} in ${TENSORBOARD_PYTHONPATH}; FMNIST_PIP_EXTRA=tensorboard bash scripts/bootstrap.sh installs it)`;
}

/** One run as TensorBoard's readers see it. */
export interface TensorBoardRun {
  scalars: Record<string, [number, number][]>;
  histograms: Record<string, { step: number; min: number; max: number; num: number; sum: number; buckets: number }[]>;
  hparams: Record<string, Record<string, unknown>>;
  /** Tags as the reader behind TensorBoard's web app (plugin_event_accumulator) holds them. */
  tensors: string[];
}

/** What TensorBoard's readers read from `logDir`, per run ('.', 'train', 'validation' when present). */
export function readTensorBoard(logDir: string): Record<string, TensorBoardRun> {
  return JSON.parse(execFileSync(PYTHON, [READER, logDir], { encoding: 'utf8', env })) as Record<string, TensorBoardRun>;
}
