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
 * exactly. With early stopping's `restoreBestWeights`, the weights restored are the raw ones of
 * the best epoch, then replaced by the average here when `applyOnTrainEnd` (put this callback
 * first to keep the restored ones). Call `dispose()` when done with it.
 */
export class ExponentialMovingAverage extends Callback {
  readonly decay: number;
  readonly warmup: boolean;
  readonly validate: boolean;
  readonly applyOnTrainEnd: boolean;
  /** Updates so far (batches). */
  updates = 0;
  private average: tf.Variable[] = [];
  private swapped: tf.Tensor[] | undefined;

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
    this.average = this.variables().map((v) => tf.variable(tf.clone(v), false));
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

  onValidationBegin(): void {
    if (!this.validate || this.swapped) return;
    const vars = this.variables();
    this.swapped = vars.map((v) => tf.clone(v));
    vars.forEach((v, i) => {
      v.assign(this.average[i]);
    });
  }

  onValidationEnd(): void {
    const raw = this.swapped;
    if (!raw) return;
    this.variables().forEach((v, i) => {
      v.assign(raw[i]);
    });
    tf.dispose(raw);
    this.swapped = undefined;
  }

  onTrainEnd(): void {
    this.onValidationEnd();
    if (this.applyOnTrainEnd) this.copyTo(this.variables());
  }

  /** Writes the averaged weights into `variables` (the model's, in `allVariables()` order). */
  copyTo(variables: tf.Variable[]): void {
    if (variables.length !== this.average.length)
      throw new TrainerError(`ExponentialMovingAverage: ${variables.length} variables given, the average has ${this.average.length}`);
    variables.forEach((v, i) => {
      v.assign(this.average[i]);
    });
  }

  /** The averaged weights (owned by this callback). */
  get weights(): readonly tf.Variable[] {
    return this.average;
  }

  getState(): Record<string, unknown> {
    return { updates: this.updates, decay: this.decay };
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
    if (this.swapped) tf.dispose(this.swapped);
    this.swapped = undefined;
    for (const a of this.average) a.dispose();
    this.average = [];
  }
}
