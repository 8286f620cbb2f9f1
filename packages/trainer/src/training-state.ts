import type { DropoutState } from '@fmnist/models/internal';
import type * as tf from '@tensorflow/tfjs-core';
import type { Logs } from './callbacks/callback';
import type { OptimizerState } from './optimizers/optimizer';
import type { RunFingerprint } from './run-fingerprint';

/** Everything needed to continue a run exactly where it stopped. */
export interface TrainingState {
  /** Epoch in progress (or the next one, when `batch` is 0). */
  epoch: number;
  /** Batches of `epoch` already done. */
  batch: number;
  globalStep: number;
  /** Running sums of the epoch in progress. */
  partial: { lossSum: number; correct: number; seen: number; seconds: number };
  history: Logs[];
  seed: number;
  dropout: DropoutState;
  /** Per callback, in list order: `getState()`, and how many of the saved tensors are its `getStateTensors()`. */
  callbacks: Record<string, unknown>[];
  callbackTensors?: number[];
  /** Each callback's key (class name and rank among its class), in list order: a resume matches states by key. */
  callbackNames?: string[];
  /** A callback had stopped the run (early stopping) when this was written: a resume trains no further. */
  stopped?: boolean;
  /** Which run wrote this checkpoint (checked on resume). */
  run?: RunFingerprint;
  optimizer: Omit<OptimizerState, 'slots'>;
  /**
   * `'layers'`: variables (and callback tensors) are saved layer by layer, an order freezing does
   * not change. Older checkpoints saved tfjs' `model.weights` order (trainable ones first).
   */
  variableOrder?: 'layers';
}

/** A checkpoint read back: state, variable values, optimizer slots and callback tensors. */
export interface LoadedCheckpoint {
  state: TrainingState;
  /** Variable values in saved order. */
  variables: { name: string; values: tf.Tensor }[];
  optimizer: OptimizerState;
  /** Per callback, the tensors it saved (the reader owns them). */
  callbackTensors: tf.Tensor[][];
}
