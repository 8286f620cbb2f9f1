import { BACKEND_CHOICES } from '@fmnist/core';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudy, getParamImportances, runWorkers, type Study, TrialState } from '@fmnist/tuner';
import type { Command } from '../command';
import { BACKEND_OPTION } from '../backend-flags';
import { count } from '../count';
import { DATA_OPTIONS } from '../data-flags';
import { choice, int, str } from '../options';
import { trainProgress } from '../progress';
import { createPruner, createSampler, objective, setTrialCallbacks, testBestTrial, type TuneConfig } from '../tune-objective';
import { UsageError } from '../usage-error';

/** Summary of a finished study, as `fmnist tune --json` prints it; best* are null when no trial completed. */
export function studySummary(study: Study) {
  const best = study.trials.some((t) => t.state === TrialState.COMPLETE && t.value !== null) ? study.bestTrial : undefined;
  const states = Object.fromEntries(
    ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'].map((s) => [s.toLowerCase(), study.trials.filter((t) => TrialState[t.state] === s).length]),
  );
  return {
    studyName: study.studyName,
    direction: study.direction,
    trials: study.trials.length,
    states,
    bestTrial: best?.number ?? null,
    bestValue: best?.value ?? null,
    bestParams: best?.params ?? null,
    testAccuracy: (best?.userAttrs.test_accuracy as number | undefined) ?? null,
    importances: getParamImportances(study.trials),
    epochsRun: study.trials.reduce((a, t) => a + Number(t.userAttrs.epochs_run ?? 0), 0),
  };
}

export const tuneCommand: Command = {
  path: ['tune'],
  summary: 'Tune the stage-4 dynamic MLP with TPE and pruning, optionally in parallel worker processes',
  options: {
    model: { type: 'string', value: 'NAME', description: 'the model to tune', choices: ['dynamic-mlp'], default: 'dynamic-mlp' },
    trials: { type: 'string', value: 'N', description: 'run trials until the study has N', default: 20 },
    jobs: { type: 'string', value: 'N', description: 'worker processes running trials in parallel, 1 to 64', default: 1 },
    storage: {
      type: 'string',
      value: 'URL',
      description: 'where the study lives: journal:PATH (a file; resumed if it exists) or postgresql://...',
      default: 'in memory (a temporary journal with --jobs > 1)',
    },
    study: { type: 'string', value: 'NAME', description: 'the study name in the storage (loaded if it exists)', default: 'fmnist-stage4' },
    sampler: { type: 'string', value: 'NAME', description: 'how trials choose their parameters', choices: ['tpe', 'random', 'qmc'], default: 'tpe' },
    pruner: {
      type: 'string',
      value: 'NAME',
      description: 'how unpromising trials stop early',
      choices: ['median', 'sh', 'hyperband', 'none'],
      default: 'median',
    },
    'pruner-startup': { type: 'string', value: 'N', description: 'trials that complete before the pruner prunes', default: 5 },
    'pruner-warmup': { type: 'string', value: 'E', description: 'epochs of a trial before the pruner looks at it', default: 1 },
    'max-epochs': { type: 'string', value: 'E', description: 'epochs per trial at most', default: 10 },
    subset: { type: 'string', value: 'N', description: 'training images per trial, 100 to 60000', default: 'all' },
    seed: { type: 'string', value: 'S', description: 'seed of the trials', default: 0 },
    backend: { ...BACKEND_OPTION, default: 'auto' },
    ...DATA_OPTIONS,
    'no-test': { type: 'boolean', description: 'skip retraining the best trial to measure its test accuracy' },
  },
  async run({ values, io, json }) {
    const model = str(values, 'model', 'dynamic-mlp');
    if (model !== 'dynamic-mlp') throw new UsageError(`--model: only dynamic-mlp can be tuned, got ${JSON.stringify(model)}`);
    const nTrials = int(values, 'trials', 20, 1, 100_000);
    const jobs = int(values, 'jobs', 1, 1, 64);
    const config: TuneConfig = {
      backend: choice(values, 'backend', BACKEND_CHOICES, 'auto'),
      maxEpochs: int(values, 'max-epochs', 10, 1, 1000),
      seed: int(values, 'seed', 0, 0),
      sampler: choice(values, 'sampler', ['tpe', 'random', 'qmc'] as const, 'tpe'),
      pruner: choice(values, 'pruner', ['median', 'sh', 'hyperband', 'none'] as const, 'median'),
      prunerStartupTrials: int(values, 'pruner-startup', 5, 0, 100_000),
      prunerWarmupSteps: int(values, 'pruner-warmup', 1, 0, 100_000),
      subset: values.subset === undefined ? undefined : int(values, 'subset', 6000, 100, 60_000),
      dir: str(values, 'dir'),
      verify: values['no-verify'] !== true,
    };
    process.env.FMNIST_TUNE_CONFIG = JSON.stringify(config);
    let storage = str(values, 'storage');
    if (jobs > 1 && !storage) storage = `journal:${join(mkdtempSync(join(tmpdir(), 'fmnist-tune-')), 'study.log')}`;

    const studyName = str(values, 'study', 'fmnist-stage4') as string;
    const logger = (line: string) => io.stderr(line);
    const study = await createStudy({
      studyName,
      direction: 'maximize',
      storage,
      sampler: createSampler(0),
      pruner: createPruner(),
      loadIfExists: true,
      logger,
    });
    const already = study.trials.filter((t) => t.state !== TrialState.WAITING).length;
    if (!json)
      io.stderr(
        `study ${studyName}: ${count(already, 'trial')} so far, running up to ${nTrials} with ${count(jobs, 'job')}, sampler ${config.sampler}, pruner ${config.pruner}`,
      );
    const started = performance.now();
    if (jobs === 1) {
      setTrialCallbacks(() => [trainProgress(io)]);
      await study.optimize(objective, { maxTrials: nTrials });
    } else {
      const here = fileURLToPath(import.meta.url);
      const module = join(dirname(here), here.endsWith('.ts') ? '../tune-objective.ts' : 'tune-objective.js');
      // Each worker process gets its share of the cores: wasm kernel threads spin between calls,
      // so more threads than cores in all slows every job.
      const env: Record<string, string> = process.env.FMNIST_THREADS ? {} : { FMNIST_THREADS: String(Math.max(1, Math.floor(cpus().length / jobs))) };
      // Workers cannot share one live line: they print plain progress lines, relayed below.
      env.FMNIST_TUNE_PROGRESS = 'plain';
      await runWorkers({ module, studyName, storage: storage as string, nTrials, nJobs: jobs, env, onLine: (line, w) => io.stderr(`[worker ${w}] ${line}`) });
    }
    await study.refresh();
    const summary = { ...studySummary(study), storage: storage ?? 'memory', seconds: (performance.now() - started) / 1000 };
    if (summary.bestTrial === null) {
      if (json) io.stdout(JSON.stringify(summary));
      else io.stdout(`trials: ${JSON.stringify(summary.states)}`);
      io.stderr(`fmnist: no trial completed (${summary.states.pruned} pruned, ${summary.states.fail} failed), so there is no best model to test`);
      return 1;
    }
    // The test set is seen once: by the best trial's model, retrained (the same seed gives the same model).
    if (values['no-test'] !== true) {
      if (!json) io.stderr(`retraining trial ${summary.bestTrial} to evaluate it on the test set`);
      summary.testAccuracy = (await testBestTrial(study.bestTrial)).testAccuracy;
    }
    if (json) io.stdout(JSON.stringify(summary));
    else {
      io.stdout(
        `best trial ${summary.bestTrial}: validation accuracy ${((summary.bestValue ?? 0) * 100).toFixed(2)}%, test accuracy ${summary.testAccuracy === null ? 'n/a' : `${(summary.testAccuracy * 100).toFixed(2)}%`}`,
      );
      io.stdout(`params: ${JSON.stringify(summary.bestParams)}`);
      io.stdout(
        `trials: ${JSON.stringify(summary.states)}; importances: ${Object.entries(summary.importances)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ')}`,
      );
    }
  },
};
