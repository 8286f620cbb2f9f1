// Entry of a worker process started by runWorkers: load the user's module, join the study, optimize.
import { loadStudy } from './create-study';
import type { Pruner } from './pruners/pruner';
import type { Sampler } from './samplers/sampler';
import type { CatchErrors, Objective } from './study';

interface WorkerModule {
  objective: Objective;
  createSampler?: (worker: number) => Sampler;
  createPruner?: () => Pruner;
  /** optimize's `catch` (`catch` itself cannot be an export's name). */
  catchErrors?: CatchErrors;
}

const config = JSON.parse(process.env.FMNIST_TUNER_WORKER ?? '{}') as { module: string; studyName: string; storage: string; nTrials: number; worker: number };
const mod = (await import(config.module)) as WorkerModule;
if (typeof mod.objective !== 'function') {
  process.stderr.write(`${config.module} does not export an objective(trial) function\n`);
  process.exit(2);
}
const study = await loadStudy({
  studyName: config.studyName,
  storage: config.storage,
  sampler: mod.createSampler?.(config.worker),
  pruner: mod.createPruner?.(),
});
try {
  await study.optimize(mod.objective, { maxTrials: config.nTrials, catch: mod.catchErrors });
} catch (error) {
  // The objective's error stops this worker, as it stops optimize: its stack, then the error on the
  // last line, which runWorkers quotes in its TrialWorkerError.
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.stderr.write(`worker stopped by ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exit(1);
}
