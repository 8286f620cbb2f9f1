import type * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '../optimizers/optimizer';
import type { CustomMetrics, MetricName } from './metric-name';
import type { Trainable } from '../trainable';

/**
 * Values logged per batch or epoch, by name: see {@link MetricName} for those `fit` and our
 * callbacks log per epoch (batch logs have `loss`, `accuracy`, `lr`, `size`, `imagesPerSecond`).
 * Your callbacks may add their own (register them in {@link CustomMetrics} to monitor them).
 */
export type Logs = Record<string, number>;

/** What a callback can see and change while training runs. */
export interface TrainerControl {
  model: Trainable;
  /** Set to true to stop after the current batch. */
  stopTraining: boolean;
  /** Current learning rate (settable). */
  getLearningRate(): number;
  setLearningRate(lr: number): void;
  /** The run's optimizer (OneCycleLR cycles its momentum through getMomentum/setMomentum). */
  readonly optimizer: Optimizer;
  /** Learning rate the run started with. */
  readonly baseLearningRate: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Optimizer steps so far across epochs. */
  readonly globalStep: number;
  /** The batch the run's first epoch starts at: 0, or where a resumed checkpoint was written mid-epoch. */
  readonly startBatch: number;
  /** Epoch logs so far. */
  readonly history: Logs[];
  /** Writes the full training state (for exact resume) to a directory, atomically. */
  saveCheckpoint(dir: string): Promise<void>;
  /**
   * A copy of the weights that the epoch's metrics describe (caller disposes), in `allVariables()`
   * order: the ones validation measured (ExponentialMovingAverage's average, when it validates),
   * else the model's own. EarlyStopping's best weights are these, whatever the callbacks' order.
   */
  validatedWeights(): tf.Tensor[];
  /**
   * Runs `fn` with the validated weights in the model, then puts the training weights back
   * (ModelCheckpoint saves the model so). Training weights are what checkpoints keep for resume.
   */
  withValidatedWeights<T>(fn: () => T | Promise<T>): Promise<T>;
}

/** The hooks; every one is optional and may be async (Keras' names). */
export interface CallbackHooks {
  /**
   * True for a callback that only watches (loggers, progress, checkpoints): it is left out of the
   * run's fingerprint, so a resume may add or drop it. Others (schedules, early stopping, EMA, your
   * own by default) are part of the run: a resume with other settings is refused. Default false.
   */
  readonly observesOnly?: boolean;
  /**
   * True when what the callback does depends on the run's epoch count (OneCycleLR without
   * `totalSteps` spans the whole run): a resume with other `epochs` is then another run, refused.
   */
  dependsOnEpochCount?(): boolean;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** Receives the epoch's train and validation metrics. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** Before the epoch's validation pass (the model still holds its training weights). */
  onValidationBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onValidationEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /**
   * Weights that validation measures instead of the model's own, in `allVariables()` order
   * (ExponentialMovingAverage's average). `fit` swaps them in for the pass and back after it, and
   * they are what `validatedWeights()` returns until the next batch. At most one callback of a run
   * may return weights here.
   */
  validationWeights?(): readonly tf.Tensor[] | undefined;
  /**
   * Weights the model takes when training ends, before any `onTrainEnd` runs (Keras applies its
   * EMA so), so EarlyStopping's `restoreBestWeights` wins whatever the order. At most one per run.
   */
  finalWeights?(): readonly tf.Tensor[] | undefined;
  /**
   * Runs after every callback's `onEpochEnd`, so state saved here (ModelCheckpoint) includes
   * every callback's view of the epoch.
   */
  afterEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** State to keep in checkpoints (schedulers, early stopping counters), as JSON values. */
  getState?(): Record<string, unknown>;
  /** Tensors to keep in checkpoints (early stopping's best weights); the callback keeps ownership. */
  getStateTensors?(): tf.Tensor[];
  /**
   * Restores `getState` (and `getStateTensors`, whose tensors the callback then owns). On resume it
   * is called after `onTrainBegin`, so the restored state wins over what `onTrainBegin` resets.
   */
  setState?(state: Record<string, unknown>, tensors: tf.Tensor[]): void;
}

// Declaration merging: subclasses implement the optional hooks without `override`.
export interface Callback extends CallbackHooks {}

/** Keras-style callback base: `class MyCallback extends Callback { onEpochEnd(epoch, logs) {...} }`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: hooks are optional members by design
export abstract class Callback {
  trainer!: TrainerControl;
  /** Called once before training with the controls. */
  setTrainer(trainer: TrainerControl): void {
    this.trainer = trainer;
  }
}

/** 'min' or 'max' from Keras' rule: names with acc/auc/f1 are maximised, others minimised. */
export function resolveMode(monitor: string, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|auc|f1|precision|recall/.test(monitor) ? 'max' : 'min';
}

/** A number read back from checkpoint JSON, where NaN and ±Infinity were written as null. */
export function stateNumber(value: unknown, fallback = Number.NaN): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : fallback;
}

/** A number for checkpoint JSON: NaN and ±Infinity as strings, which JSON would turn into null. */
export function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}
