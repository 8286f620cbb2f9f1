// Stage 4: hyperparameter tuning of a dynamic MLP (layers, width, dropout, batch norm, optimizer,
// lr, batch size, weight decay, epochs) with our Optuna-like tuner: TPE, median pruning, two
// worker processes sharing one journal file. Then the best configuration is retrained on all data.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { fixedTrial, runCli, trialRecipe } from '@fmnist/cli';
import { loadFashionMnist } from '@fmnist/data';
import { runStageRecipe, type StageDefinition, type StageHooks, type StagePlan, type StageSize } from '@fmnist/example-stage-kit';
import { parseRecipe, type TrainRecipe } from '@fmnist/trainer';
import { loadStudy, type ParamValue, plotData } from '@fmnist/tuner';

/** The study, as `fmnist tune`'s flags: its trials look at a subset's validation split only. */
export type TuneStep = {
  study: string;
  trials: number;
  /** Worker processes sharing the journal. */
  jobs: number;
  /** Training images per trial (stratified). */
  subset: number;
  /** Upper bound of the trials' epochs parameter. */
  maxEpochs: number;
  /** The study's seed: the split, and the samplers' seeds. */
  seed: number;
};

/** How the best trial's configuration is retrained: on all 54,000 training images, longer, with a cosine schedule. */
export type RetrainStep = {
  epochs: number;
  /** Early stopping's patience on validation accuracy. */
  patience: number;
};

export type Stage4Plan = StagePlan<{ tune: TuneStep; retrain: RetrainStep }>;

/**
 * The recipe that retrains the best trial's parameters: the study's own recipe for them (the tuner's
 * `trialRecipe`, so the parameter names are written once), on all the training images, with the
 * retrain's epochs, a cosine schedule and early stopping on validation accuracy.
 */
export function retrainRecipe(params: Record<string, ParamValue>, plan: Stage4Plan): TrainRecipe {
  const { tune, retrain } = plan.steps;
  const trial = trialRecipe(fixedTrial({ number: 0, params }), { seed: tune.seed, maxEpochs: tune.maxEpochs });
  return parseRecipe({
    ...trial,
    fit: {
      ...trial.fit,
      epochs: retrain.epochs,
      seed: 0,
      schedule: { name: 'CosineAnnealingLR' },
      earlyStopping: { monitor: 'val_accuracy', patience: retrain.patience },
    },
    evaluate: { ...trial.evaluate, batchSize: 1000 },
  });
}

async function run(plan: Stage4Plan, hooks: StageHooks) {
  const log = hooks.log ?? console.log;
  const { tune } = plan.steps;
  const outDir = hooks.outDir ?? join(process.cwd(), 'reports', 'journey');
  mkdirSync(outDir, { recursive: true });
  // One name per configuration, so a resumed journey finds its study again.
  const journal = join(outDir, `${tune.study}-study-${tune.trials}x${tune.subset}x${tune.maxEpochs}.log`);
  if (!hooks.resume) rmSync(journal, { force: true });
  log(`stage 4: tuning dynamic-mlp, ${tune.trials} trials, ${tune.jobs} worker processes, TPE + median pruning, journal ${journal}`);
  const started = performance.now();
  // The same study `fmnist tune` runs, through the CLI's public API.
  let summaryLine = '';
  const args = ['--trials', tune.trials, '--jobs', tune.jobs, '--subset', tune.subset, '--max-epochs', tune.maxEpochs, '--seed', tune.seed].map(String);
  const code = await runCli(['tune', ...args, '--storage', `journal:${journal}`, '--study', tune.study, '--no-test', '--json'], {
    stdout: (l) => (summaryLine = l),
    stderr: (l) => log(`  ${l}`),
    isTTY: false,
  });
  if (code !== 0) throw new Error(`fmnist tune exited with ${code}`);
  const summary = JSON.parse(summaryLine) as {
    bestParams: Record<string, ParamValue>;
    bestValue: number;
    epochsRun: number;
    states: Record<string, number>;
  };
  const study = await loadStudy({ studyName: tune.study, storage: `journal:${journal}` });
  log(`  best trial (validation on a ${tune.subset}-image subset): ${(summary.bestValue * 100).toFixed(2)}% with ${JSON.stringify(summary.bestParams)}`);

  await initBackend();
  const data = { train: await loadFashionMnist({ split: 'train' }), test: await loadFashionMnist({ split: 'test' }) };
  const recipe = retrainRecipe(summary.bestParams, plan);
  const { report, model } = await runStageRecipe('main', recipe, hooks, { data });
  model.dispose();
  log(`  retrained best configuration: test accuracy ${(report.testAccuracy * 100).toFixed(2)}%`);
  return {
    ...report,
    seconds: (performance.now() - started) / 1000,
    retrainRecipe: recipe,
    tuning: {
      journal,
      trials: study.trials.length,
      states: summary.states,
      bestParams: summary.bestParams,
      bestValue: summary.bestValue,
      epochsRun: summary.epochsRun,
      plot: plotData(study.trials, 'maximize'),
    },
  };
}

export const stage4: StageDefinition<Stage4Plan> = {
  stage: 4,
  app: 'tuned dynamic MLP (TPE, pruning, 2 jobs, journal storage)',
  reference: 0.8921,
  target: 0.895,
  plan: (size: StageSize): Stage4Plan => ({
    recipes: {},
    steps: {
      // 30 trials: with 14, one run's winner (plain SGD, found among mostly random startup trials)
      // retrained to 89.06%, under the target; the MLP kernels made a trial cheap enough for more.
      tune:
        size === 'quick'
          ? { study: 'stage4', trials: 4, jobs: 2, subset: 3000, maxEpochs: 2, seed: 0 }
          : { study: 'stage4', trials: 30, jobs: 2, subset: 20000, maxEpochs: 6, seed: 0 },
      retrain: { epochs: size === 'quick' ? 1 : 20, patience: 5 },
    },
  }),
  run,
};
