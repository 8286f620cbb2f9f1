import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getModelEntry, saveModel } from '@fmnist/models';
import {
  hasCheckpoint,
  OverfittingMonitor,
  parseRecipe,
  recipeHash,
  recipeModelOptions,
  recipeNormalization,
  recipeTransforms,
  runRecipe,
  type TrainRecipe,
  TrainerError,
} from '@fmnist/trainer';
import { backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { str } from '../options';
import { evalProgress, trainProgress } from '../progress';
import { recipeFromFlags } from '../recipe-flags';
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
  usage:
    'fmnist train [--recipe FILE] [--print-recipe] --model NAME [--epochs N] [--batch B] [--optimizer adam|adamw|sgd|rmsprop] [--lr X] [--momentum M] [--weight-decay W] [--schedule none|step|cosine|onecycle|plateau|exponential] [--augment flip,crop,erase,rotate,affine,resize] [--val 0.1] [--subset N] [--seed S] [--patience P] [--label-smoothing X] [--normalize unit|standard] [--checkpoint-dir D] [--resume] [--out D] [--dir DATA] [--no-verify] [--backend B] [--ema DECAY] [--tta hflip] [--no-fused-step] [--json]; model options: [--hidden 128,64 (mlp)] [--layers N] [--width W] (dynamic-mlp) [--batch-norm] (the MLPs) [--dropout R]',
  options: {
    // A recipe file (JSON) to run; flags given beside it override its fields.
    recipe: { type: 'string' },
    // Print the run's recipe (JSON) and exit without training.
    'print-recipe': { type: 'boolean' },
    model: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    momentum: { type: 'string' },
    'weight-decay': { type: 'string' },
    schedule: { type: 'string' },
    augment: { type: 'string' },
    val: { type: 'string' },
    subset: { type: 'string' },
    seed: { type: 'string' },
    patience: { type: 'string' },
    'label-smoothing': { type: 'string' },
    normalize: { type: 'string' },
    'no-verify': { type: 'boolean' },
    // An exponential moving average of the weights (validated on, and the model trained ends with it).
    ema: { type: 'string' },
    // Test-time augmentation for the final test evaluation.
    tta: { type: 'string' },
    // MLPs through tfjs's tape instead of the fused step (the same gradients), for comparisons.
    'no-fused-step': { type: 'boolean' },
    'checkpoint-dir': { type: 'string' },
    resume: { type: 'boolean' },
    out: { type: 'string' },
    backend: { type: 'string' },
    dir: { type: 'string' },
    hidden: { type: 'string' },
    dropout: { type: 'string' },
    layers: { type: 'string' },
    width: { type: 'string' },
    'batch-norm': { type: 'boolean' },
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
    if (!json) io.stderr(`backend ${backend.name} (${backend.reason}); ${name}, ${recipe.fit.epochs} epochs, recipe ${recipeHash(recipe).slice(0, 12)}`);
    const run = await runRecipe(recipe, {
      dataDir: str(values, 'dir'),
      verify: values['no-verify'] !== true,
      callbacks: [monitor, trainProgress(io)],
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
