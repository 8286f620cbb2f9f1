import * as tf from '@tensorflow/tfjs-core';
import { restoreWeights } from '../trainable';
import { TrainerError } from '../trainer-error';
import { Callback, jsonNumber, type Logs, resolveMode, stateNumber } from './callback';
import type { MetricName } from './metric-name';

export interface EarlyStoppingOptions {
  /** The metric watched: one `fit` logs, or one of yours registered in `CustomMetrics`. Default 'val_loss'. */
  monitor?: MetricName;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** Default 'auto' (max for accuracy-like names). */
  mode?: 'auto' | 'min' | 'max';
  /** Stop unless the metric beats this. Default none. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends (stopped early or not). Default false. */
  restoreBestWeights?: boolean;
}

/**
 * keras.callbacks.EarlyStopping, including restoreBestWeights (which tfjs-layers lacks). The best
 * weights are the ones the monitored metric measured (`TrainerControl.validatedWeights`: an
 * ExponentialMovingAverage's average when validation ran on it).
 */
export class EarlyStopping extends Callback {
  readonly monitor: MetricName;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  wait = 0;
  best = Number.NaN;
  bestEpoch = -1;
  stoppedEpoch = -1;
  private bestWeights?: tf.Tensor[];

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.mode = resolveMode(this.monitor, options.mode ?? 'auto');
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  private improved(value: number, reference: number): boolean {
    if (Number.isNaN(reference)) return true;
    return this.mode === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.best = this.baseline ?? Number.NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new TrainerError(`EarlyStopping: monitor '${this.monitor}' is not in the logs (${Object.keys(logs).join(', ')})`);
    }
    if (this.improved(value, this.best)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.bestWeights?.forEach((t) => t.dispose());
        this.bestWeights = this.trainer.validatedWeights();
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.trainer.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights) {
      restoreWeights(this.trainer.model, this.bestWeights);
    }
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = undefined;
  }

  getState() {
    return {
      wait: this.wait,
      best: jsonNumber(this.best),
      bestEpoch: this.bestEpoch,
      stoppedEpoch: this.stoppedEpoch,
      hasBestWeights: this.bestWeights !== undefined,
    };
  }

  /** The best epoch's weights, when `restoreBestWeights` keeps them: a resumed run restores them too. */
  getStateTensors(): tf.Tensor[] {
    return this.bestWeights ?? [];
  }

  setState(state: Record<string, unknown>, tensors: tf.Tensor[] = []): void {
    this.wait = stateNumber(state.wait, 0);
    this.best = stateNumber(state.best);
    this.bestEpoch = stateNumber(state.bestEpoch, -1);
    this.stoppedEpoch = stateNumber(state.stoppedEpoch, -1);
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = state.hasBestWeights && tensors.length > 0 ? tensors : undefined;
    if (!this.bestWeights) tf.dispose(tensors);
  }
}
