import { DataLoader, type ImageDataset, type Transform } from '@fmnist/data';
import { DropoutStream } from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Callback, Logs, TrainerControl } from './callbacks/callback';
import { CallbackList } from './callbacks/callback-list';
import type { TrainRecipe } from './recipe/train-recipe';
import type { LoadedCheckpoint, TrainingState } from './training-state';
import { evaluate } from './evaluate';
import type { LossName } from './losses';
import { createOptimizer, type OptimizerConfig } from './optimizers/create-optimizer';
import type { Optimizer, OptimizerState } from './optimizers/optimizer';
import { checkSameRun, runFingerprint } from './run-fingerprint';
import { type StepHyperparameters, trainStepAsync } from './train-step';
import { isLayersModel, legacyVariableOrder, restoreWeights, snapshotWeights, type Trainable, toTrainable } from './trainable';
import { recordTrainingInput } from './training-input';
import { TrainerError } from './trainer-error';
import { validationLoaderFor } from './validation-loader';

/** What decides a run's numbers (a recipe's `fit` and `data` say the same): all of it is in the checkpoint's fingerprint. */
export interface FitHyperparameters extends StepHyperparameters {
  /** Default 10. */
  epochs?: number;
  /** Used when `train` is a dataset. Default 64. */
  batchSize?: number;
  /** An optimizer, or a name/config. Default Adam(1e-3). */
  optimizer?: Optimizer | OptimizerConfig | OptimizerConfig['name'];
  /** Fixes shuffling, dropout and augmentation (weights are seeded where the model is built). Default 0. */
  seed?: number;
  /** Augmentation when `train` is a dataset. */
  transform?: Transform;
}

/** What a run does around the numbers: validation, callbacks, files, interrupts, the speed switch. */
export interface FitRuntimeOptions {
  /**
   * Validation data, evaluated after every epoch (logs val_loss, val_accuracy). A dataset is
   * prepared as the training loader prepares its inputs (normalization, layout); a loader must
   * match them, or fit refuses.
   */
  validation?: DataLoader | ImageDataset;
  /** Schedules, early stopping, averages (these change the numbers and are fingerprinted), loggers, progress. */
  callbacks?: Callback[];
  /**
   * Continue from the checkpoint in this directory (written by ModelCheckpoint or an interrupted
   * run). It must come from the same run (seed, data, model, optimizer, loss): anything else is
   * refused, naming the field. `epochs` may be raised to train further.
   */
  resumeFrom?: string;
  /**
   * The recipe this run was made from (`runRecipe` sets it): part of the checkpoint's fingerprint,
   * so a resume with any field changed is refused naming the field. Default none.
   */
  recipe?: TrainRecipe;
  /** On SIGINT (Ctrl-C), stop after the current batch and save a checkpoint here. Default none. */
  interruptCheckpointDir?: string;
  /**
   * Train Sequential stacks of Dense, BatchNormalization, ReLU, Dropout and Flatten layers (the
   * zoo's MLPs) with the fused step, which computes the tape's gradients without the tape
   * (fused-backprop.ts); other models always use the tape. The same numbers either way; false
   * forces the tape. Default true.
   */
  fusedStep?: boolean;
}

/** `fit`'s options: the hyperparameters and the runtime options, in one flat object. */
export interface FitOptions extends FitHyperparameters, FitRuntimeOptions {}

export interface History {
  /** One entry per epoch: loss, accuracy, val_loss, val_accuracy, lr, seconds, imagesPerSecond, ... */
  epochs: Logs[];
  /** Why training ended. */
  stopReason: 'completed' | 'callback' | 'interrupted';
  seconds: number;
}

/** How a run reads and writes checkpoints and hears Ctrl-C: files and signals in Node, none in browsers. */
export interface CheckpointIO {
  read(dir: string): LoadedCheckpoint;
  write(dir: string, state: TrainingState, variables: tf.Variable[], optimizer: OptimizerState, callbackTensors: tf.Tensor[][]): Promise<void>;
  /** Calls `handler` on an interrupt request; returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

function needIO(io: CheckpointIO | undefined, what: string): CheckpointIO {
  if (!io) throw new TrainerError(`${what}: file checkpoints need Node (this is the browser build of @fmnist/trainer)`);
  return io;
}

/** The run's optimizer, and whether `fit` created it (then `fit` disposes its slots at the end). */
function resolveOptimizer(o: FitOptions['optimizer']): { optimizer: Optimizer; owned: boolean } {
  if (o === undefined) return { optimizer: createOptimizer({ name: 'adam' }), owned: true };
  if (typeof o === 'string') return { optimizer: createOptimizer({ name: o }), owned: true };
  if ('apply' in o) return { optimizer: o, owned: false };
  return { optimizer: createOptimizer(o), owned: true };
}

function checkOptions(options: FitOptions): void {
  const epochs = options.epochs ?? 10;
  if (!Number.isInteger(epochs) || epochs < 1) throw new TrainerError(`epochs: expected a positive integer, got ${epochs}`);
  const ls = options.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls < 1)) throw new TrainerError(`labelSmoothing: expected a number in [0, 1), got ${ls}`);
  const clip = options.gradientClip;
  if (clip?.norm !== undefined && !(clip.norm > 0)) throw new TrainerError(`gradientClip.norm: expected a positive number, got ${clip.norm}`);
  if (clip?.value !== undefined && !(clip.value > 0)) throw new TrainerError(`gradientClip.value: expected a positive number, got ${clip.value}`);
}

function loaderFor(model: Trainable, data: DataLoader | ImageDataset, options: FitOptions): DataLoader {
  if (data instanceof DataLoader) {
    if (data.options.layout !== model.layout) {
      throw new TrainerError(`data layout '${data.options.layout}' does not match the model's '${model.layout}' inputs`);
    }
    return data;
  }
  return new DataLoader(data, {
    batchSize: options.batchSize ?? 64,
    seed: options.seed ?? 0,
    layout: model.layout,
    shuffle: true,
    transform: options.transform,
  });
}

/**
 * The model's outputs against the data's classes, before any step: a one-hot target of another
 * width would fail inside tfjs, and a class index past the model's outputs would train silently on
 * an all-zero target (PyTorch: "Target 7 is out of bounds").
 */
function checkClasses(model: Trainable, loader: DataLoader, loss: LossName): void {
  const { classNames, labels } = loader.dataset;
  let top = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > top) top = labels[i];
  if (top >= classNames.length) {
    throw new TrainerError(`train: the data has class index ${top}, but names ${classNames.length} classes (${classNames.join(', ')})`);
  }
  const output = model.layersModel?.outputs[0]?.shape;
  const units = output?.[output.length - 1];
  if (typeof units !== 'number') return;
  if (loss === 'binaryCrossentropy') {
    if (units !== 1 || classNames.length > 2)
      throw new TrainerError(
        `train: binaryCrossentropy takes one logit and two classes; the model outputs ${units}, the data has ${classNames.length} classes`,
      );
    return;
  }
  if (units !== classNames.length) {
    throw new TrainerError(
      `train: the model outputs ${units} classes, the data has ${classNames.length} (${classNames.join(', ')}): expected [n, ${classNames.length}] logits`,
    );
  }
}

/** The training loop behind Node's and the browser's `fit`, with the platform's checkpoint IO. */
export async function fitWith(
  io: CheckpointIO | undefined,
  modelLike: tfl.LayersModel | Trainable,
  train: DataLoader | ImageDataset,
  options: FitOptions = {},
): Promise<History> {
  checkOptions(options);
  const model = toTrainable(modelLike);
  const epochs = options.epochs ?? 10;
  const seed = options.seed ?? 0;
  const trainLoader = loaderFor(model, train, options);
  if (trainLoader.length === 0) {
    const o = trainLoader.options;
    throw new TrainerError(`train: the loader yields no batch (${trainLoader.dataset.count} images, batchSize ${o.batchSize}, dropLast ${o.dropLast})`);
  }
  checkClasses(model, trainLoader, options.loss ?? 'categoricalCrossentropy');
  const valLoader = options.validation ? validationLoaderFor(model, options.validation, trainLoader) : undefined;
  // The model carries the training loader's input convention: saveModel, predict and evaluate read it.
  if (isLayersModel(modelLike)) recordTrainingInput(modelLike, trainLoader);
  const { optimizer, owned } = resolveOptimizer(options.optimizer);
  try {
    return await runLoop(io, model, trainLoader, valLoader, optimizer, options, epochs, seed);
  } finally {
    if (owned) optimizer.dispose();
  }
}

async function runLoop(
  io: CheckpointIO | undefined,
  model: Trainable,
  trainLoader: DataLoader,
  valLoader: DataLoader | undefined,
  optimizer: Optimizer,
  options: FitOptions,
  epochs: number,
  seed: number,
): Promise<History> {
  const lossName = options.loss ?? 'categoricalCrossentropy';
  const callbacks = new CallbackList(options.callbacks ?? []);
  const vars = model.trainableVariables();
  const history: Logs[] = [];
  const baseLr = optimizer.lr;
  const run = runFingerprint({
    model,
    loader: trainLoader,
    optimizer,
    baseLr,
    seed,
    epochs,
    loss: lossName,
    labelSmoothing: options.labelSmoothing ?? 0,
    gradientClip: options.gradientClip,
    callbacks: options.callbacks ?? [],
    recipe: options.recipe,
  });
  let startEpoch = 0;
  let startBatch = 0;
  let globalStep = 0;
  let partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
  // This run's own dropout stream: concurrent runs in one process never share one.
  const dropout = new DropoutStream(seed);
  model.setDropoutStream?.(dropout);
  let resumed: LoadedCheckpoint | undefined;
  let stoppedBefore = false;

  if (options.resumeFrom) {
    const ckpt = needIO(io, 'resumeFrom').read(options.resumeFrom);
    const release = () => tf.dispose([...ckpt.variables.map((v) => v.values), ...ckpt.callbackTensors.flat()]);
    const all = model.allVariables();
    try {
      // Older checkpoints hold tfjs' model.weights order: usable only where it is this one.
      if (ckpt.state.variableOrder !== 'layers' && legacyVariableOrder(model).some((v, i) => v !== all[i])) {
        throw new TrainerError(
          `${options.resumeFrom}: the checkpoint was written by an older @fmnist/trainer in another variable order (trainable weights first); start a new run`,
        );
      }
      if (ckpt.variables.length !== all.length || ckpt.variables.some((v, i) => v.values.shape.join() !== all[i].shape.join())) {
        throw new TrainerError(`${options.resumeFrom}: checkpoint holds ${ckpt.variables.length} variables that do not match this model's ${all.length}`);
      }
      checkSameRun(options.resumeFrom, ckpt.state.run, run);
      if (ckpt.state.history.length > epochs) {
        throw new TrainerError(`${options.resumeFrom}: the checkpoint has ${ckpt.state.history.length} epochs done, more than epochs ${epochs}`);
      }
    } catch (error) {
      release();
      throw error;
    }
    all.forEach((v, i) => v.assign(ckpt.variables[i].values));
    tf.dispose(ckpt.variables.map((v) => v.values));
    optimizer.setState(ckpt.optimizer, ckpt.optimizer.keyedBy === 'allVariables' ? model.allVariables() : vars);
    ({ epoch: startEpoch, batch: startBatch, globalStep, partial } = ckpt.state);
    history.push(...ckpt.state.history);
    dropout.seed = ckpt.state.dropout.seed;
    dropout.calls = ckpt.state.dropout.calls;
    // A run its callbacks had stopped stays stopped, unless it is asked for more epochs than it had.
    stoppedBefore = (ckpt.state.stopped ?? false) && epochs <= (ckpt.state.run?.epochs ?? epochs);
    resumed = ckpt;
  }

  let epoch = startEpoch;
  let batchInEpoch = startBatch;
  let interrupted = false;
  const control: TrainerControl = {
    model,
    stopTraining: false,
    getLearningRate: () => optimizer.lr,
    setLearningRate: (lr) => {
      if (!(lr >= 0) || !Number.isFinite(lr)) throw new TrainerError(`learning rate: expected a finite number >= 0, got ${lr}`);
      optimizer.lr = lr;
    },
    baseLearningRate: baseLr,
    epochs,
    stepsPerEpoch: trainLoader.length,
    startBatch,
    get globalStep() {
      return globalStep;
    },
    history,
    optimizer,
    saveCheckpoint: (dir) => saveState(dir),
    validatedWeights: () => (swappedIn() ?? model.allVariables()).map((t) => tf.clone(t)),
    withValidatedWeights: async (fn) => {
      const weights = swappedIn();
      if (!weights) return await fn();
      const raw = snapshotWeights(model);
      restoreWeights(model, weights);
      try {
        return await fn();
      } finally {
        restoreWeights(model, raw);
        tf.dispose(raw);
      }
    },
  };
  // The weights a callback has validation measure instead of the model's (an EMA's average); the
  // epoch's metrics describe them, else the model's own.
  const swappedIn = (): readonly tf.Tensor[] | undefined => (valLoader ? callbacks.validationWeights() : undefined);
  callbacks.setTrainer(control);

  const saveState = async (dir: string) => {
    // Keyed by every variable: one unfrozen during the run keeps its slots too.
    const opt: OptimizerState = { ...(await optimizer.getState(model.allVariables())), keyedBy: 'allVariables' };
    const snapshots = callbacks.snapshot();
    const state: TrainingState = {
      // Completed epochs are in the history, so the run resumes at epoch history.length.
      epoch: history.length,
      batch: batchInEpoch,
      globalStep,
      partial,
      history,
      seed,
      dropout: dropout.state,
      callbacks: snapshots.map((s) => s.state),
      callbackTensors: snapshots.map((s) => s.tensors.length),
      callbackNames: callbacks.keys(),
      stopped: control.stopTraining && !interrupted,
      run,
      optimizer: { name: opt.name, lr: opt.lr, step: opt.step },
      variableOrder: 'layers',
    };
    await needIO(io, 'saveCheckpoint').write(
      dir,
      state,
      model.allVariables(),
      opt,
      snapshots.map((s) => s.tensors),
    );
  };

  const unsubscribe = options.interruptCheckpointDir
    ? needIO(io, 'interruptCheckpointDir').onInterrupt(() => {
        interrupted = true;
        control.stopTraining = true;
      })
    : () => {};

  const started = performance.now();
  try {
    await callbacks.trainBegin({});
    if (resumed) {
      const saved = resumed.state.callbacks.map((state, i) => ({ state, tensors: resumed?.callbackTensors[i] ?? [] }));
      callbacks.restore(saved, resumed.state.callbackNames);
      control.stopTraining = stoppedBefore;
    }
    for (; epoch < epochs && !control.stopTraining; epoch++) {
      await callbacks.epochBegin(epoch, {});
      let t0 = performance.now();
      for await (const { xs, ys, size } of trainLoader.iterate(epoch, batchInEpoch)) {
        await callbacks.batchBegin(batchInEpoch, { size });
        let lossValue = 0;
        let correct = 0;
        try {
          ({ loss: lossValue, correct } = await trainStepAsync(model, optimizer, xs, ys, {
            loss: lossName,
            labelSmoothing: options.labelSmoothing,
            gradientClip: options.gradientClip,
            fused: options.fusedStep,
          }));
        } finally {
          tf.dispose([xs, ys]);
        }
        globalStep++;
        batchInEpoch++;
        const now = performance.now();
        partial.seconds += (now - t0) / 1000;
        t0 = now;
        partial.lossSum += lossValue * size;
        partial.correct += correct;
        partial.seen += size;
        const batchLogs: Logs = { loss: lossValue, accuracy: correct / size, lr: optimizer.lr, size, imagesPerSecond: partial.seen / partial.seconds };
        await callbacks.batchEnd(batchInEpoch - 1, batchLogs);
        if (control.stopTraining) break;
      }
      if (interrupted && batchInEpoch < trainLoader.length) break;
      const logs: Logs = {
        loss: partial.lossSum / partial.seen,
        accuracy: partial.correct / partial.seen,
        lr: optimizer.lr,
        seconds: partial.seconds,
        imagesPerSecond: partial.seen / partial.seconds,
      };
      if (valLoader) {
        await callbacks.validationBegin(epoch, logs);
        let val: Awaited<ReturnType<typeof evaluate>>;
        try {
          val = await control.withValidatedWeights(() => evaluate(model, valLoader, { loss: lossName, topK: [1] }));
        } catch (error) {
          await callbacks.validationEnd(epoch, logs);
          throw error;
        }
        logs.val_loss = val.loss;
        logs.val_accuracy = val.accuracy;
        await callbacks.validationEnd(epoch, logs);
      }
      if (!Number.isFinite(logs.loss) && !control.stopTraining) control.stopTraining = true;
      // Epoch done: the next one starts clean (checkpoints written now resume at epoch + 1).
      batchInEpoch = 0;
      partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      history.push(logs);
      await callbacks.epochEnd(epoch, logs);
    }
    if (interrupted && options.interruptCheckpointDir) await saveState(options.interruptCheckpointDir);
  } finally {
    unsubscribe();
  }
  // The weights a callback leaves the model with (an EMA's average) go in before every onTrainEnd,
  // so a best-weights restore there wins whatever the order of the list (Keras does the same).
  const final = callbacks.finalWeights();
  if (final) restoreWeights(model, final);
  await callbacks.trainEnd({});
  return {
    epochs: history,
    stopReason: interrupted ? 'interrupted' : control.stopTraining ? 'callback' : 'completed',
    seconds: (performance.now() - started) / 1000,
  };
}
