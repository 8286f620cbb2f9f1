import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TrialWorkerError } from './trial-worker-error';
import { TunerError } from './tuner-error';

export interface RunWorkersOptions {
  /**
   * Module (path or URL) exporting `objective(trial)`, and optionally `createSampler(workerIndex)`,
   * `createPruner()` and `catchErrors` (optimize's `catch`: error classes or a predicate). Each
   * worker process imports it. An error of the objective that `catchErrors` does not take stops its
   * worker (the trial is FAIL), and `runWorkers` rejects with a `TrialWorkerError` naming it.
   */
  module: string;
  studyName: string;
  /** A journal file path (`journal:PATH` or a path) that all workers share. */
  storage: string;
  /** Total trials in the study when workers stop (counted atomically in the journal). */
  nTrials: number;
  /** Worker processes. Default 2. */
  nJobs?: number;
  /** Each worker's progress lines. Default: this process's stderr. */
  onLine?: (line: string, worker: number) => void;
  /** Extra environment for the workers. */
  env?: Record<string, string>;
}

/**
 * Runs a study in `nJobs` worker processes on one machine (CPU-bound objectives need processes in
 * Node), all sharing one journal file, until it holds `nTrials` trials. Like Optuna's n_jobs with
 * a shared storage, but using every core.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<void> {
  const nJobs = options.nJobs ?? 2;
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new TunerError(`nJobs: expected a positive integer, got ${nJobs}`);
  const here = fileURLToPath(import.meta.url);
  const entry = join(dirname(here), `worker-entry${here.endsWith('.ts') ? '.ts' : '.js'}`);
  const moduleUrl = /^[a-z]+:/.test(options.module) ? options.module : pathToFileURL(options.module).href;
  const failures: string[] = [];
  await Promise.all(
    Array.from(
      { length: nJobs },
      (_, worker) =>
        new Promise<void>((resolve) => {
          // From sources (tests, `pnpm fmnist`), workers need the TypeScript loader too.
          const execArgv = entry.endsWith('.ts') ? ['--conditions=@fmnist/source', '--import', 'tsx'] : process.execArgv;
          const child = spawn(process.execPath, [...execArgv, entry], {
            env: {
              ...process.env,
              ...options.env,
              FMNIST_TUNER_WORKER: JSON.stringify({
                module: moduleUrl,
                studyName: options.studyName,
                storage: options.storage,
                nTrials: options.nTrials,
                worker,
              }),
            },
            stdio: ['ignore', 'inherit', 'pipe'],
          });
          let buffer = '';
          let lastLines: string[] = [];
          child.stderr.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            const lines = buffer.split('\n');
            buffer = lines.pop() ?? '';
            lastLines = [...lastLines, ...lines].slice(-3);
            for (const line of lines) (options.onLine ?? ((l) => process.stderr.write(`${l}\n`)))(line, worker);
          });
          child.on('exit', (code) => {
            if (code !== 0) failures.push(`worker ${worker} exited with code ${code}: ${[...lastLines, buffer].join(' ').trim()}`);
            resolve();
          });
        }),
    ),
  );
  if (failures.length) throw new TrialWorkerError(failures.join('; '));
}
