import type { DropoutState } from '@fmnist/models';
import type * as tf from '@tensorflow/tfjs-core';
import type { Logs } from './callbacks/callback';
import type { OptimizerState } from './optimizers/optimizer';

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
  callbacks: Record<string, unknown>[];
  optimizer: Omit<OptimizerState, 'slots'>;
}

/** A checkpoint read back: state, variable values and optimizer slots. */
export interface LoadedCheckpoint {
  state: TrainingState;
  /** Variable values in saved order. */
  variables: { name: string; values: tf.Tensor }[];
  optimizer: OptimizerState;
}
