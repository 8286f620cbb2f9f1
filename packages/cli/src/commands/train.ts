import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getModelEntry, MODEL_NAMES, saveModel } from '@fmnist/models';
import {
  flattenHParams,
  hasCheckpoint,
  OPTIMIZER_NAMES,
  OverfittingMonitor,
  parseRecipe,
  recipeHash,
  recipeModelOptions,
  recipeNormalization,
  recipeTransforms,
  runRecipe,
  TensorBoard,
  type TrainRecipe,
  TrainerError,
} from '@fmnist/trainer';
import { AUGMENTATIONS } from '../augment-flags';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { DATA_OPTIONS } from '../data-flags';
import { MODEL_OPTIONS } from '../model-flags';
import { str } from '../options';
import { count } from '../count';
import { evalProgress, trainProgress } from '../progress';
import { recipeFromFlags } from '../recipe-flags';
import { SCHEDULES } from '../schedule-flags';
import { TTA_OPTION } from '../tta-flag';
import { UsageError } from '../usage-error';

/** A recipe file (`--recipe FILE`, written by `--print-recipe`), checked by the recipe's schema. */
function readRecipeFile(path: string): TrainRecipe {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--recipe: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--recipe: ${path} is not JSON (${(error as Error).message})`);
  }
  try {
    return parseRecipe(value);
  } catch (error) {
    if (TrainerError.isInstance(error)) throw new UsageError(`--recipe ${path}: ${error.message}`);
    throw error;
  }
}

export const trainCommand: Command = {
  path: ['train'],
  summary: 'Train a zoo model on the real Fashion-MNIST and report test metrics',
  options: {
    recipe: { type: 'string', value: 'FILE', description: 'run this recipe (JSON, as --print-recipe writes it); flags given beside it override its fields' },
    'print-recipe': { type: 'boolean', description: 'print the run as a recipe (JSON) and exit without training' },
    model: { type: 'string', value: 'NAME', description: 'the zoo model to train (required unless --recipe names one)', choices: MODEL_NAMES },
    epochs: { type: 'string', value: 'N', description: 'epochs to train, 1 to 10000', default: 5 },
    batch: { type: 'string', value: 'B', description: 'batch size', default: 64 },
    optimizer: { type: 'string', value: 'NAME', description: "the optimizer, with torch.optim's defaults", choices: OPTIMIZER_NAMES, default: 'adam' },
    lr: { type: 'string', value: 'X', description: 'learning rate', default: '0.001 (sgd: 0.01)' },
    momentum: { type: 'string', value: 'M', description: 'momentum (sgd and rmsprop only)', default: '0.9 for sgd, 0 for rmsprop' },
    'weight-decay': { type: 'string', value: 'W', description: 'weight decay (L2 penalty; decoupled for adamw)', default: 0 },
    schedule: { type: 'string', value: 'NAME', description: "learning-rate schedule (PyTorch's schedulers)", choices: SCHEDULES, default: 'none' },
    augment: {
      type: 'string',
      value: 'LIST',
      description: "training augmentations, comma-separated (altflip: airbench's alternating flip; resize makes images 32x32)",
      choices: AUGMENTATIONS,
      default: 'none',
    },
    val: { type: 'string', value: 'FRACTION', description: 'share of the training images held out for validation, 0 to 0.9', default: 0.1 },
    subset: { type: 'string', value: 'N', description: 'train on N images of the 60000 (10 to 60000)', default: 'all' },
    seed: { type: 'string', value: 'S', description: 'seed of the initialization, the split and the shuffling', default: 0 },
    patience: {
      type: 'string',
      value: 'P',
      description: 'stop after P epochs without a lower val_loss, restoring the best weights',
      default: 'no early stopping',
    },
    'label-smoothing': { type: 'string', value: 'X', description: 'label smoothing of the cross-entropy, 0 to 0.99', default: 0 },
    normalize: {
      type: 'string',
      value: 'HOW',
      description: 'input scaling: [0, 1], or standardized by the training mean and std',
      choices: ['unit', 'standard'],
      default: 'unit',
    },
    ema: {
      type: 'string',
      value: 'DECAY',
      description: 'keep a moving average of the weights (validated on, and the model saved ends with it)',
      default: 'none',
    },
    tta: TTA_OPTION,
    'no-fused-step': { type: 'boolean', description: "train MLPs through tfjs's tape instead of the fused step (the same gradients), for comparisons" },
    'checkpoint-dir': {
      type: 'string',
      value: 'DIR',
      description: 'write a checkpoint there after each epoch',
      default: 'OUT/checkpoint with --out, else none',
    },
    resume: { type: 'boolean', description: 'continue the run checkpointed in --checkpoint-dir (or --out); refused if its recipe differs' },
    out: { type: 'string', value: 'DIR', description: 'save the trained model there (for eval, predict, export)', default: 'not saved' },
    tensorboard: {
      type: 'string',
      value: 'DIR',
      description: 'write TensorBoard logs there (train/ and validation/ curves, the recipe as hparams): tensorboard --logdir DIR',
      default: 'none',
    },
    backend: BACKEND_OPTION,
    ...DATA_OPTIONS,
    ...MODEL_OPTIONS,
  },
  async run({ values, io, json }) {
    const base = str(values, 'recipe') === undefined ? undefined : readRecipeFile(str(values, 'recipe') as string);
    // Flags given beside --recipe override its fields; every value is checked before any work.
    const recipe = recipeFromFlags(values, base);
    if (values['print-recipe']) {
      io.stdout(JSON.stringify(recipe, null, 2));
      return 0;
    }
    const name = recipe.model.name;
    const checkpointDir = str(values, 'checkpoint-dir') ?? (str(values, 'out') ? join(str(values, 'out') as string, 'checkpoint') : undefined);
    if (values.resume && !checkpointDir) throw new UsageError('--resume needs --checkpoint-dir D (or --out D)');
    const interruptDir = checkpointDir ?? join(process.cwd(), '.fmnist-interrupted');
    if (values.resume && checkpointDir && !hasCheckpoint(checkpointDir)) throw new UsageError(`--resume: no checkpoint in ${checkpointDir}`);

    const backend = await backendFromFlags(values);
    const started = performance.now();
    const monitor = new OverfittingMonitor();
    if (!json)
      io.stderr(`backend ${backend.name} (${backend.reason}); ${name}, ${count(recipe.fit.epochs, 'epoch')}, recipe ${recipeHash(recipe).slice(0, 12)}`);
    const tensorboard = str(values, 'tensorboard');
    const run = await runRecipe(recipe, {
      dataDir: str(values, 'dir'),
      verify: values['no-verify'] !== true,
      callbacks: [monitor, trainProgress(io), ...(tensorboard ? [new TensorBoard({ logDir: tensorboard, hparams: flattenHParams(recipe) })] : [])],
      checkpointDir,
      resume: values.resume === true,
      interruptCheckpointDir: interruptDir,
      fusedStep: values['no-fused-step'] !== true,
      onTestBatch: evalProgress(io, 'test set'),
    });
    const { history, model } = run;
    if (history.stopReason === 'interrupted' || !run.test) {
      // A partial model is not saved as if it were the result: the checkpoint is, and we say where.
      const done = history.epochs.length;
      const resume = checkpointDir
        ? `fmnist train ... ${str(values, 'checkpoint-dir') ? `--checkpoint-dir ${checkpointDir}` : `--out ${str(values, 'out')}`} --resume`
        : `fmnist train ... --checkpoint-dir ${interruptDir} --resume`;
      if (json) io.stdout(JSON.stringify({ model: name, stopReason: 'interrupted', epochs: done, checkpointDir: interruptDir, history: history.epochs }));
      io.stderr(
        `fmnist: interrupted during epoch ${done + 1}; the training state is in ${interruptDir} (resume with: ${resume})${str(values, 'out') ? `; nothing was saved to ${str(values, 'out')}` : ''}`,
      );
      return 130;
    }
    const result = run.test;
    const seed = recipe.fit.seed;
    const summary = {
      ...run.report,
      seed,
      backend: backend.name,
      // The whole command's time, data loading included (the report's is fit's).
      seconds: (performance.now() - started) / 1000,
      stopReason: history.stopReason,
      overfitting: monitor.report(),
      recipe,
      recipeHash: run.hash,
    };
    const { size } = recipeTransforms(recipe.data.augment);
    const layout = getModelEntry(name).layout;
    const normalize = recipeNormalization(recipe.data.normalize);
    const options = recipeModelOptions(recipe);
    const classes = result.perClass.map((c) => c.class);
    const out = str(values, 'out');
    if (out) {
      await saveModel(model, out, {
        model: name,
        options,
        classes,
        input: { layout, height: size, width: size, channels: 1, normalize },
        training: {
          epochs: summary.epochs,
          testAccuracy: summary.testAccuracy,
          valAccuracy: summary.valAccuracy,
          seconds: summary.seconds,
          backend: backend.name,
          recipe,
          recipeHash: run.hash,
        },
      });
    }
    if (json) io.stdout(JSON.stringify(summary));
    else {
      io.stdout(
        `test accuracy ${(result.accuracy * 100).toFixed(2)}%, test loss ${result.loss.toFixed(4)}, train ${((summary.trainAccuracy ?? 0) * 100).toFixed(2)}%${summary.valAccuracy !== null ? `, val ${(summary.valAccuracy * 100).toFixed(2)}%` : ''} (${summary.seconds.toFixed(1)} s on ${backend.name})`,
      );
      io.stdout(`overfitting: final train-val gap ${(summary.overfitting.finalGap * 100).toFixed(2)} points (${summary.overfitting.verdict})`);
      if (out) io.stdout(`saved to ${out}`);
    }
    return 0;
  },
};
