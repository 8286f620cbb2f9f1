import { type ImageDataset, loadFashionMnist } from '@fmnist/data';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Callback } from '../callbacks/callback';
import { ModelCheckpoint } from '../callbacks/model-checkpoint';
import { type Evaluation, evaluate } from '../evaluate';
import { fit, type History } from '../fit';
import { type RunReport, runReport } from '../run-report';
import { recipeHash } from './recipe-hash';
import { type RecipeSplits, recipeCallbacks, recipeEvaluationLoader, recipeModel, recipeOptimizer, recipeSplits, recipeTrainingLoader } from './recipe-parts';
import { parseRecipe, type TrainRecipe, type TrainRecipeInput } from './train-recipe';

/** What does not change a run's numbers: where the data is, logging, files, resume. */
export interface RecipeHooks {
  /** Directory of the IDX files. Default: the usual places (see @fmnist/data's loadFashionMnist). */
  dataDir?: string;
  /** Check the files' sha256. Default true. */
  verify?: boolean;
  /** The training and test sets, already loaded (skips loading; the recipe's subset and split still apply). */
  data?: { train: ImageDataset; test: ImageDataset } | Promise<{ train: ImageDataset; test: ImageDataset }>;
  /** Callbacks that only watch (progress, loggers, backups), added after the recipe's own. */
  callbacks?: Callback[];
  /** Keep the full training state here after every epoch (ModelCheckpoint), for `resume`. */
  checkpointDir?: string;
  /** Continue from `checkpointDir`: refused, naming the field, when it holds another recipe's run. */
  resume?: boolean;
  /** On Ctrl-C, stop after the batch and save the state here. */
  interruptCheckpointDir?: string;
  /** The fused step for MLPs (the same numbers; false forces the tape). Default true. */
  fusedStep?: boolean;
  /** Evaluate on the test set at the end. False for model selection (a study's trials look at validation only). Default true. */
  evaluateTest?: boolean;
  /** Called with each test batch's index and the batch count. */
  onTestBatch?: (batch: number, total: number) => void;
}

/** A finished recipe: the report, with the recipe and its hash, and the trained model. */
export interface RecipeRun {
  recipe: TrainRecipe;
  /** `recipeHash(recipe)`: the run's identity. */
  hash: string;
  report: RunReport;
  history: History;
  /** Undefined when the run was interrupted, or `evaluateTest` was false. */
  test?: Evaluation;
  model: tfl.LayersModel;
  /** The images it trained, validated and tested on. */
  splits: RecipeSplits;
}

/**
 * Runs a recipe: loads the data, takes the subset and the validation split, builds the model,
 * the loaders and the callbacks from the recipe, fits, and evaluates on the test set. The same
 * recipe gives the same numbers, whichever program runs it (the CLI, the tuner, the stages).
 */
export async function runRecipe(input: TrainRecipeInput | TrainRecipe, hooks: RecipeHooks = {}): Promise<RecipeRun> {
  const recipe = parseRecipe(input);
  const verify = hooks.verify ?? true;
  const loaded = (await hooks.data) ?? {
    train: await loadFashionMnist({ split: 'train', dir: hooks.dataDir, verify }),
    test: await loadFashionMnist({ split: 'test', dir: hooks.dataDir, verify }),
  };
  const splits = recipeSplits(recipe, loaded);
  const { train, val } = splits;
  const model = recipeModel(recipe);
  const callbacks = [
    ...recipeCallbacks(recipe),
    ...(hooks.checkpointDir ? [new ModelCheckpoint({ dir: hooks.checkpointDir })] : []),
    ...(hooks.callbacks ?? []),
  ];
  const hyper = recipe.fit;
  let history: History;
  try {
    history = await fit(model, recipeTrainingLoader(recipe, train), {
      epochs: hyper.epochs,
      seed: hyper.seed,
      optimizer: recipeOptimizer(recipe),
      validation: val && recipeEvaluationLoader(recipe, val),
      labelSmoothing: hyper.labelSmoothing,
      gradientClip: hyper.gradientClip,
      callbacks,
      recipe,
      fusedStep: hooks.fusedStep,
      resumeFrom: hooks.resume ? hooks.checkpointDir : undefined,
      interruptCheckpointDir: hooks.interruptCheckpointDir,
    });
  } catch (error) {
    // The model is ours until we return it (a pruned trial's TrialPruningCallback throws here).
    model.dispose();
    throw error;
  }
  const hash = recipeHash(recipe);
  if (history.stopReason === 'interrupted' || hooks.evaluateTest === false) {
    const empty: Evaluation = { loss: Number.NaN, accuracy: Number.NaN, topK: {}, confusionMatrix: [], perClass: [], count: 0, predictions: [], labels: [] };
    return { recipe, hash, history, model, splits, report: runReport(model, history, empty, { name: recipe.model.name }) };
  }
  const test = await evaluate(model, recipeEvaluationLoader(recipe, splits.test), { tta: recipe.evaluate.tta, onBatchEnd: hooks.onTestBatch });
  return { recipe, hash, history, test, model, splits, report: runReport(model, history, test, { name: recipe.model.name }) };
}
