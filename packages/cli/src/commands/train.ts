import { join } from 'node:path';
import {
  DataLoader,
  FASHION_MNIST_MEAN,
  FASHION_MNIST_STD,
  type ImageDataset,
  loadFashionMnist,
  type Normalization,
  stratifiedSubset,
  trainValSplit,
} from '@fmnist/data';
import { createModel, getModelEntry, type ModelName, MODEL_NAMES, saveModel } from '@fmnist/models';
import {
  type Callback,
  EarlyStopping,
  ExponentialMovingAverage,
  evaluate,
  fit,
  hasCheckpoint,
  ModelCheckpoint,
  OPTIMIZER_NAMES,
  type OptimizerName,
  OverfittingMonitor,
  runReport,
} from '@fmnist/trainer';
import { augmentPlan } from '../augment-flags';
import { backendFromFlags } from '../backend-flags';
import { ttaViews } from '../tta-flag';
import { evalProgress, trainProgress } from '../progress';
import type { Command, Values } from '../command';
import { modelFlagOptions } from '../model-flags';
import { choice, int, num, str } from '../options';
import { SCHEDULES, scheduleCallback } from '../schedule-flags';
import { UsageError } from '../usage-error';

/** Model options from flags (a flag the model does not take is refused), fitted to the input size (resize makes 32x32 inputs). */
function modelOptions(name: ModelName, size: number, values: Values, seed: number): Record<string, unknown> {
  const entry = getModelEntry(name);
  const options: Record<string, unknown> = { ...entry.defaults, seed };
  if (entry.layout === 'image') options.inputShape = [size, size, 1];
  else options.inputs = size * size;
  return { ...options, ...modelFlagOptions(name, values) };
}

export const trainCommand: Command = {
  path: ['train'],
  summary: 'Train a zoo model on the real Fashion-MNIST and report test metrics',
  usage:
    'fmnist train --model NAME [--epochs N] [--batch B] [--optimizer adam|adamw|sgd|rmsprop] [--lr X] [--momentum M] [--weight-decay W] [--schedule none|step|cosine|onecycle|plateau|exponential] [--augment flip,crop,erase,rotate,affine,resize] [--val 0.1] [--subset N] [--seed S] [--patience P] [--label-smoothing X] [--normalize unit|standard] [--checkpoint-dir D] [--resume] [--out D] [--dir DATA] [--no-verify] [--backend B] [--ema DECAY] [--tta hflip] [--no-fused-step] [--json]; model options: [--hidden 128,64 (mlp)] [--layers N] [--width W] (dynamic-mlp) [--batch-norm] (the MLPs) [--dropout R]',
  options: {
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
    const name = str(values, 'model');
    if (!name) throw new UsageError(`--model is required: one of ${MODEL_NAMES.join(', ')}`);
    if (!MODEL_NAMES.includes(name as ModelName)) throw new UsageError(`--model: expected one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
    const epochs = int(values, 'epochs', 5, 1, 10_000);
    const batchSize = int(values, 'batch', 64, 1, 65_536);
    const optimizerName = choice(values, 'optimizer', OPTIMIZER_NAMES, 'adam');
    const lr = num(values, 'lr', optimizerName === 'sgd' ? 0.01 : optimizerName === 'rmsprop' ? 1e-3 : 1e-3, 1e-12, 100);
    const momentum = num(values, 'momentum', optimizerName === 'sgd' ? 0.9 : 0, 0, 0.999999);
    const weightDecay = num(values, 'weight-decay', 0, 0, 10);
    const schedule = choice(values, 'schedule', SCHEDULES, 'none');
    const valFraction = num(values, 'val', 0.1, 0, 0.9);
    const seed = int(values, 'seed', 0, 0, 2 ** 32 - 1);
    const labelSmoothing = num(values, 'label-smoothing', 0, 0, 0.99);
    // Read before training, so a bad value is refused before, not after, the epochs.
    const tta = ttaViews(values);
    const emaDecay = values.ema === undefined ? undefined : num(values, 'ema', 0.999, 0.5, 0.99999);
    const normalize: Normalization =
      choice(values, 'normalize', ['unit', 'standard'] as const, 'unit') === 'standard' ? { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD } : 'unit';
    const plan = augmentPlan(str(values, 'augment'));
    const checkpointDir = str(values, 'checkpoint-dir') ?? (str(values, 'out') ? join(str(values, 'out') as string, 'checkpoint') : undefined);
    if (values.resume && !checkpointDir) throw new UsageError('--resume needs --checkpoint-dir D (or --out D)');
    const interruptDir = checkpointDir ?? join(process.cwd(), '.fmnist-interrupted');
    if (values.resume && checkpointDir && !hasCheckpoint(checkpointDir)) throw new UsageError(`--resume: no checkpoint in ${checkpointDir}`);
    // Flags that need a validation split fail here, not after the first epoch.
    if (valFraction === 0 && schedule === 'plateau') throw new UsageError('--schedule plateau watches val_loss: it needs a validation split (--val > 0)');
    const patience = values.patience === undefined ? undefined : int(values, 'patience', 3, 0);
    if (valFraction === 0 && patience !== undefined) throw new UsageError('--patience stops on val_loss: it needs a validation split (--val > 0)');
    const options = modelOptions(name as ModelName, plan.size, values, seed);

    const backend = await backendFromFlags(values);
    const started = performance.now();
    const verify = values['no-verify'] !== true;
    let train = await loadFashionMnist({ split: 'train', dir: str(values, 'dir'), verify });
    const test = await loadFashionMnist({ split: 'test', dir: str(values, 'dir'), verify });
    if (values.subset !== undefined) train = { ...train, ...stratifiedSubset(train, int(values, 'subset', 6000, 10, train.count), { seed }) };
    const split = valFraction > 0 ? trainValSplit(train, { valFraction, seed }) : undefined;
    const entry = getModelEntry(name);
    const layout = entry.layout;
    const trainLoader = new DataLoader(split?.train ?? train, { batchSize, seed, layout, normalize, transform: plan.train });
    const evalLoader = (ds: ImageDataset) => new DataLoader(ds, { batchSize: 500, shuffle: false, layout, normalize, transform: plan.all });
    const model = createModel(name as ModelName, options as never);

    const monitor = new OverfittingMonitor();
    const callbacks: Callback[] = [];
    const scheduler = scheduleCallback(schedule, epochs, lr);
    if (scheduler) callbacks.push(scheduler);
    if (patience !== undefined) callbacks.push(new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true }));
    if (emaDecay !== undefined) callbacks.push(new ExponentialMovingAverage({ decay: emaDecay }));
    if (checkpointDir) callbacks.push(new ModelCheckpoint({ dir: checkpointDir }));
    callbacks.push(monitor, trainProgress(io));
    if (!json) io.stderr(`backend ${backend.name} (${backend.reason}); ${name}, ${trainLoader.dataset.count} training images, ${epochs} epochs`);

    const history = await fit(model, trainLoader, {
      epochs,
      seed,
      optimizer: { name: optimizerName as OptimizerName, lr, momentum, weightDecay },
      validation: split ? evalLoader(split.val) : undefined,
      callbacks,
      labelSmoothing,
      fusedStep: values['no-fused-step'] !== true,
      resumeFrom: values.resume ? checkpointDir : undefined,
      interruptCheckpointDir: interruptDir,
    });
    if (history.stopReason === 'interrupted') {
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
    const result = await evaluate(model, evalLoader(test), { onBatchEnd: evalProgress(io, 'test set'), tta });
    const summary = {
      ...runReport(model, history, result, { name }),
      seed,
      backend: backend.name,
      // The whole command's time, data loading included (the report's is fit's).
      seconds: (performance.now() - started) / 1000,
      stopReason: history.stopReason,
      overfitting: monitor.report(),
    };
    const out = str(values, 'out');
    if (out) {
      await saveModel(model, out, {
        model: name,
        options,
        classes: [...test.classNames],
        input: { layout, height: plan.size, width: plan.size, channels: 1, normalize },
        training: {
          epochs: summary.epochs,
          testAccuracy: summary.testAccuracy,
          valAccuracy: summary.valAccuracy,
          seconds: summary.seconds,
          backend: backend.name,
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
