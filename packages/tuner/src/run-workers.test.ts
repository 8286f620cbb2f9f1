import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, loadStudy } from './create-study';
import { runWorkers } from './run-workers';
import { TrialState } from './trial-state';
import { TrialWorkerError } from './trial-worker-error';

const quiet = () => {};
const here = dirname(fileURLToPath(import.meta.url));
const journal = () => `journal:${join(mkdtempSync(join(tmpdir(), 'workers-')), 'study.log')}`;

describe('runWorkers', () => {
  it("stops on an objective's error as optimize does: the trial is FAIL and the run rejects naming the error", async () => {
    const storage = journal();
    await createStudy({ studyName: 'typo', storage, logger: quiet });
    const run = runWorkers({ module: join(here, 'test-utils', 'typo-worker.ts'), studyName: 'typo', storage, nTrials: 6, nJobs: 2, onLine: quiet });
    await expect(run).rejects.toBeInstanceOf(TrialWorkerError);
    await expect(run).rejects.toThrow(/exited with code 1: .*ReferenceError: lerning_rate is not defined/);
    const study = await loadStudy({ studyName: 'typo', storage });
    // Each worker stopped at its first trial.
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.FAIL]);
  }, 60_000);

  it("takes the module's `catchErrors` as optimize's catch", async () => {
    const storage = journal();
    await createStudy({ studyName: 'flaky', storage, logger: quiet });
    await runWorkers({ module: join(here, 'test-utils', 'flaky-worker.ts'), studyName: 'flaky', storage, nTrials: 4, nJobs: 2, onLine: quiet });
    const study = await loadStudy({ studyName: 'flaky', storage });
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE, TrialState.COMPLETE]);
  }, 60_000);
});
