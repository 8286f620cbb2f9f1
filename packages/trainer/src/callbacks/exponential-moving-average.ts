import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../trainer-error';
import { Callback, stateNumber } from './callback';

export interface ExponentialMovingAverageOptions {
  /** Weight of the old average at each step: avg = decay * avg + (1 - decay) * w. Default 0.999. */
  decay?: number;
  /**
   * Ramp the decay up as timm's ModelEmaV2 does, min(decay, (1 + n) / (10 + n)) after n updates,
   * so the first steps' random weights do not linger. Default true.
   */
  warmup?: boolean;
  /** Validate each epoch on the averaged weights (val_loss, val_accuracy are theirs). Default true. */
  validate?: boolean;
  /** Leave the model with the averaged weights when training ends, as Keras' `use_ema` does. Default true. */
  applyOnTrainEnd?: boolean;
}

/**
 * An exponential moving average of the model's weights, updated after every batch (timm's
 * ModelEmaV2, Keras' `use_ema`, Lightning's EMA callbacks). It averages every variable, batch-norm
 * statistics included, as timm does. The average is checkpointed, so a resumed run continues it
 * exactly. Validation measures the average, and so, whatever the order of the callbacks, do
 * `ModelCheckpoint` (the model it saves) and `EarlyStopping` (the best weights it keeps and
 * restores). When training ends the model takes the average first, then any best-weights restore
 * runs, as in Keras. With `applyOnTrainEnd: false` call `dispose()` when done with it.
 */
export class ExponentialMovingAverage extends Callback {
  readonly decay: number;
  readonly warmup: boolean;
  readonly validate: boolean;
  readonly applyOnTrainEnd: boolean;
  /** Updates so far (batches). */
  updates = 0;
  private average: tf.Variable[] = [];

  constructor(options: ExponentialMovingAverageOptions = {}) {
    super();
    this.decay = options.decay ?? 0.999;
    if (!(this.decay > 0 && this.decay < 1)) throw new TrainerError(`ExponentialMovingAverage decay: expected a number in (0, 1), got ${this.decay}`);
    this.warmup = options.warmup ?? true;
    this.validate = options.validate ?? true;
    this.applyOnTrainEnd = options.applyOnTrainEnd ?? true;
  }

  private variables(): tf.Variable[] {
    return this.trainer.model.allVariables();
  }

  onTrainBegin(): void {
    this.dispose();
    // A variable made from a tensor shares its data: made from the model's own variable, it
    // needs no intermediate clone to free (assign later replaces the data, not the model's).
    this.average = this.variables().map((v) => tf.variable(v, false));
    this.updates = 0;
  }

  onBatchEnd(): void {
    const d = this.warmup ? Math.min(this.decay, (1 + this.updates) / (10 + this.updates)) : this.decay;
    const vars = this.variables();
    tf.tidy(() => {
      this.average.forEach((a, i) => {
        a.assign(tf.add(tf.mul(a, d), tf.mul(vars[i], 1 - d)));
      });
    });
    this.updates++;
  }

  /** The average, for validation to measure (fit swaps it in and back). */
  validationWeights(): readonly tf.Tensor[] | undefined {
    return this.validate && this.average.length > 0 ? this.average : undefined;
  }

  /** The average, which the model takes when training ends (before any onTrainEnd, so a best-weights restore wins). */
  finalWeights(): readonly tf.Tensor[] | undefined {
    return this.applyOnTrainEnd && this.average.length > 0 ? this.average : undefined;
  }

  /**
   * With `applyOnTrainEnd` the model now holds the average, which is freed here (fit after fit
   * leaks nothing); without it the average stays for `copyTo` until `dispose()`.
   */
  onTrainEnd(): void {
    if (this.applyOnTrainEnd) this.dispose();
  }

  /** Writes the averaged weights into `variables` (the model's, in `allVariables()` order). */
  copyTo(variables: tf.Variable[]): void {
    if (variables.length !== this.average.length)
      throw new TrainerError(`ExponentialMovingAverage: ${variables.length} variables given, the average has ${this.average.length}`);
    variables.forEach((v, i) => {
      v.assign(this.average[i]);
    });
  }

  /** The averaged weights (owned by this callback; empty after a fit that applied them, or after `dispose()`). */
  get weights(): readonly tf.Variable[] {
    return this.average;
  }

  getState(): Record<string, unknown> {
    return { updates: this.updates };
  }

  getStateTensors(): tf.Tensor[] {
    return this.average;
  }

  setState(state: Record<string, unknown>, tensors: tf.Tensor[]): void {
    if (tensors.length !== this.average.length) {
      tf.dispose(tensors);
      throw new TrainerError(`ExponentialMovingAverage: the checkpoint holds ${tensors.length} averaged weights, the model has ${this.average.length}`);
    }
    this.average.forEach((a, i) => {
      a.assign(tensors[i]);
    });
    tf.dispose(tensors);
    this.updates = stateNumber(state.updates, 0);
  }

  /** Frees the averaged weights. */
  dispose(): void {
    for (const a of this.average) a.dispose();
    this.average = [];
  }
}
