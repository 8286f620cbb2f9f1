import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PIP_PYTHON_ENV, PYTHON, pipPythonHas, pipSkipNote } from '../../../core/src/test-utils/python';

const READER = fileURLToPath(new URL('./tensorboard-read.py', import.meta.url));

/** Whether `PYTHON` imports TensorBoard's EventAccumulator (pip-installed by `scripts/bootstrap.sh`, `FMNIST_PIP_EXTRA=tensorboard`). */
export function tensorboardReaderFound(): boolean {
  return pipPythonHas('tensorboard.backend.event_processing.event_accumulator');
}

/** Why a reader test is skipped, for its title ('' when the reader is there). */
export function tensorboardSkipNote(found: boolean): string {
  return pipSkipNote(found, 'tensorboard');
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
  return JSON.parse(execFileSync(PYTHON, [READER, logDir], { encoding: 'utf8', env: PIP_PYTHON_ENV })) as Record<string, TensorBoardRun>;
}

/** A session group of the HParams tab: its hyperparameters and the last value of each metric. */
export interface HParamsSessionGroup {
  name: string;
  hparams: Record<string, unknown>;
  metricValues?: { name: { group: string; tag: string }; value: number; trainingStep?: number }[];
  sessions: { name: string; status?: string }[];
}

/** What the HParams tab's backend (list_session_groups) lists for a directory of runs. */
export function readHParamsSessions(parent: string): HParamsSessionGroup[] {
  const out = JSON.parse(execFileSync(PYTHON, [READER, '--hparams-sessions', parent], { encoding: 'utf8', env: PIP_PYTHON_ENV })) as {
    sessionGroups?: HParamsSessionGroup[];
  };
  return out.sessionGroups ?? [];
}
