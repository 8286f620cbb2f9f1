// The stage-4 objective: a dynamic MLP trained on a train/validation split, reporting validation
// accuracy every epoch for pruning. `fmnist tune` runs it in-process or in worker processes.
import { initBackend } from '@fmnist/backend';
import type { BackendChoice } from '@fmnist/core';
import { type ImageDataset, loadFashionMnist } from '@fmnist/data';
import {
  type Callback,
  type Logs,
  type OptimizerName,
  ProgressBar,
  parseRecipe,
  recipeHash,
  runRecipe,
  type TrainRecipe,
  TrialPruningCallback,
} from '@fmnist/trainer';
import {
  type FrozenTrial,
  HyperbandPruner,
  MedianPruner,
  NopPruner,
  type ParamValue,
  type Pruner,
  QMCSampler,
  RandomSampler,
  type Sampler,
  SuccessiveHalvingPruner,
  TPESampler,
  type Trial,
  TrialPruned,
} from '@fmnist/tuner';
import { UsageError } from './usage-error';

export interface TuneConfig {
  backend: BackendChoice;
  /** Training images used (stratified); the rest of the budget goes to more trials. */
  subset?: number;
  /** Upper bound of the epochs parameter. */
  maxEpochs: number;
  seed: number;
  sampler: 'tpe' | 'random' | 'qmc';
  pruner: 'median' | 'none' | 'sh' | 'hyperband';
  /** MedianPruner: trials that finish before any is pruned. */
  prunerStartupTrials: number;
  /** MedianPruner: epochs every trial runs before it can be pruned. */
  prunerWarmupSteps: number;
  dir?: string;
  /** Check the data's sha256 and official counts. Default true. */
  verify?: boolean;
}

export function tuneConfig(): TuneConfig {
  return {
    backend: 'auto',
    maxEpochs: 10,
    seed: 0,
    sampler: 'tpe',
    pruner: 'median',
    prunerStartupTrials: 5,
    prunerWarmupSteps: 1,
    ...(JSON.parse(process.env.FMNIST_TUNE_CONFIG ?? '{}') as Partial<TuneConfig>),
  };
}

interface Data {
  train: ImageDataset;
  test: ImageDataset;
}

// The data of the last config asked for (a process runs one study at a time; tests run several).
let data: { key: string; value: Promise<Data> } | undefined;

function dataFor(config: TuneConfig): Promise<Data> {
  const key = JSON.stringify([config.backend, config.dir, config.subset, config.seed, config.verify]);
  if (data?.key !== key) data = { key, value: loadData(config) };
  return data.value;
}

async function loadData(config: TuneConfig): Promise<Data> {
  await initBackend({ backend: config.backend });
  // The recipe takes the subset and the split (data.seed: the study's seed, the same for every trial).
  const train = await loadFashionMnist({ split: 'train', dir: config.dir, verify: config.verify });
  const test = await loadFashionMnist({ split: 'test', dir: config.dir, verify: config.verify });
  return { train, test };
}

/** What the search space asks of a trial: a live one, or the best one's fixed parameters to retrain. */
export type SearchTrial = Pick<Trial, 'number' | 'suggestInt' | 'suggestFloat' | 'suggestCategorical' | 'report' | 'shouldPrune'>;

// Callbacks added to every trial's fit: the tune command's progress display in its own process;
// in worker processes (FMNIST_TUNE_PROGRESS=plain), plain progress lines that it relays.
let trialCallbacks: () => Callback[] =
  process.env.FMNIST_TUNE_PROGRESS === 'plain' ? () => [new ProgressBar({ live: false, write: (t) => process.stderr.write(t) })] : () => [];

/** Sets the callbacks every trial's fit gets from now on (a fresh list per trial). */
export function setTrialCallbacks(make: () => Callback[]): void {
  trialCallbacks = make;
}

/**
 * The stage-4 search space (the original notebook's, with Optuna's names) as the recipe a trial
 * trains: one function for live trials and for the retrain of the best one (a FixedTrial), so the
 * parameter names are written once.
 */
export function trialRecipe(trial: SearchTrial, config: Pick<TuneConfig, 'seed' | 'subset' | 'maxEpochs'>): TrainRecipe {
  const nLayers = trial.suggestInt('n_layers', 1, 4);
  const width = trial.suggestInt('width', 64, 1024, { log: true });
  const dropout = trial.suggestFloat('dropout', 0, 0.5);
  const batchNorm = trial.suggestCategorical('batch_norm', [false, true]);
  const optimizer = trial.suggestCategorical('optimizer', ['adam', 'adamw', 'sgd', 'rmsprop']) as OptimizerName;
  const lr = trial.suggestFloat('lr', 1e-4, 3e-2, { log: true });
  const batchSize = trial.suggestCategorical('batch_size', [32, 64, 128, 256]);
  const weightDecay = trial.suggestFloat('weight_decay', 1e-6, 1e-2, { log: true });
  const epochs = trial.suggestInt('epochs', Math.min(3, config.maxEpochs), config.maxEpochs);
  return parseRecipe({
    version: 1,
    model: { name: 'dynamic-mlp', options: { nLayers, width, dropout, batchNorm } },
    // One split for the whole study; each trial its own weights and shuffling.
    data: { seed: config.seed, subset: config.subset, validation: 0.1, batchSize },
    fit: { epochs, seed: config.seed + trial.number, optimizer: { name: optimizer, lr, weightDecay, ...(optimizer === 'sgd' ? { momentum: 0.9 } : {}) } },
  });
}

/**
 * A trial's recipe, trained; the caller disposes the model. The test set is evaluated only when
 * asked (the retrain of the best). Validation accuracy goes to the trial every epoch; a pruned
 * trial's run ends in `TrialPruned` (the trainer's TrialPruningCallback, listed last as it asks).
 */
async function trainTrial(trial: SearchTrial, pruning: TrialPruningCallback, evaluateTest = false) {
  const config = tuneConfig();
  const recipe = trialRecipe(trial, config);
  if ('setUserAttr' in trial) (trial as Trial).setUserAttr('recipe_hash', recipeHash(recipe));
  return runRecipe(recipe, { data: dataFor(config), callbacks: [...trialCallbacks(), pruning], evaluateTest });
}

/**
 * The objective: validation accuracy of the last epoch. The test set is not looked at here: the
 * choice among trials is made on validation, and only the chosen one meets the test set
 * (`testBestTrial`).
 */
export async function objective(trial: Trial): Promise<number> {
  const pruning = new TrialPruningCallback(trial, { monitor: 'val_accuracy' });
  let epochs: readonly Logs[] = [];
  try {
    const { model, history } = await trainTrial(trial, pruning);
    model.dispose();
    epochs = history.epochs;
    trial.setUserAttr('seconds', history.seconds);
    return epochs.at(-1)?.val_accuracy ?? 0;
  } catch (error) {
    // A pruned trial's epochs count too (the summary's epochsRun).
    if (TrialPruned.isInstance(error)) epochs = pruning.trainer.history;
    throw error;
  } finally {
    trial.setUserAttr('epochs_run', epochs.length);
    trial.setUserAttr('train_accuracy', epochs.at(-1)?.accuracy ?? null);
  }
}

/** A trial that answers every suggestion with the given trial's value (Optuna's FixedTrial), never pruned. */
export function fixedTrial(best: Pick<FrozenTrial, 'number' | 'params'>): SearchTrial {
  const value = <T>(name: string): T => {
    if (!(name in best.params)) throw new Error(`trial ${best.number} has no parameter ${name}`);
    return best.params[name] as T;
  };
  return {
    number: best.number,
    suggestInt: (name) => value<number>(name),
    suggestFloat: (name) => value<number>(name),
    suggestCategorical: <T extends ParamValue>(name: string) => value<T>(name),
    report: () => {},
    shouldPrune: () => false,
  } as SearchTrial;
}

/** Retrains the best trial (same seed and data, so the same model) and evaluates it on the test set, once. */
export async function testBestTrial(best: FrozenTrial): Promise<{ testAccuracy: number; valAccuracy: number | null }> {
  // A study continued with other settings (--subset, --seed, --max-epochs) would retrain another run.
  const saved = best.userAttrs.recipe_hash;
  const now = recipeHash(trialRecipe(fixedTrial(best), tuneConfig()));
  if (typeof saved === 'string' && saved !== now) {
    throw new UsageError(
      `trial ${best.number} was trained from recipe ${saved.slice(0, 12)}, these settings make ${now.slice(0, 12)}: rerun with the study's --subset, --seed and --max-epochs`,
    );
  }
  const retrain = fixedTrial(best);
  const { model, history, test } = await trainTrial(retrain, new TrialPruningCallback(retrain, { monitor: 'val_accuracy' }), true);
  model.dispose();
  return { testAccuracy: test?.accuracy ?? Number.NaN, valAccuracy: history.epochs.at(-1)?.val_accuracy ?? null };
}

export function createSampler(worker = 0): Sampler {
  const config = tuneConfig();
  const seed = config.seed * 1000 + worker;
  if (config.sampler === 'random') return new RandomSampler({ seed });
  if (config.sampler === 'qmc') return new QMCSampler({ seed });
  // Parallel workers: the constant liar keeps them from proposing the same region.
  return new TPESampler({ seed, constantLiar: true, nStartupTrials: 6 });
}

export function createPruner(): Pruner {
  const config = tuneConfig();
  if (config.pruner === 'none') return new NopPruner();
  if (config.pruner === 'sh') return new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
  if (config.pruner === 'hyperband') return new HyperbandPruner({ minResource: 1, maxResource: config.maxEpochs, reductionFactor: 3 });
  return new MedianPruner({ nStartupTrials: config.prunerStartupTrials, nWarmupSteps: config.prunerWarmupSteps });
}
