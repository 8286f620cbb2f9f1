import { TrialPruned } from '@fmnist/core';
import { TrainerError } from '../trainer-error';
import { Callback, type Logs } from './callback';
import type { MetricName } from './metric-name';

/**
 * What the callback needs of a trial: `report` and `shouldPrune`, as @fmnist/tuner's `Trial` has
 * them (Optuna's names). Structural, so the trainer does not depend on the tuner, nor the tuner on tfjs.
 */
export interface PrunableTrial {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

export interface TrialPruningCallbackOptions {
  /**
   * The epoch log to report, e.g. `val_accuracy`, `val_loss`, `accuracy`, `loss` (a `MetricName`:
   * a misspelt name is a compile error; your own metrics are declared in `CustomMetrics`). The study's direction must match it
   * (maximize for accuracy, minimize for a loss). Default `val_accuracy`, which needs `validation`
   * in `fit`'s options; Optuna's callbacks have no default and take it as their second argument.
   */
  monitor?: MetricName;
  /** Report and ask the pruner every `interval` epochs (Optuna's KerasPruningCallback `interval`). Default 1. */
  interval?: number;
}

/**
 * Prunes unpromising trials of a study while `fit` trains (Optuna's KerasPruningCallback,
 * PyTorchLightningPruningCallback): at the end of each epoch it reports the monitored metric as the
 * trial's intermediate value (step = the 0-based epoch) and asks `trial.shouldPrune()`. When the
 * pruner says so, training stops after that epoch and `fit` ends by throwing `TrialPruned`
 * ("Trial was pruned at epoch N.", Optuna's message), which `study.optimize` records as a PRUNED
 * trial; the objective needs no code of its own for it.
 *
 * The throw comes from `onTrainEnd` (as Optuna's Lightning callback raises at the end of fit), not
 * from the epoch's end, so the run ends cleanly first: the optimizer `fit` made is disposed, and the
 * callbacks listed before this one finish (EarlyStopping and ExponentialMovingAverage free their
 * weights in `onTrainEnd`). List it last. The model is yours: dispose it in a `finally`.
 *
 * A monitor that is not in the epoch's logs is an error at the first epoch (Optuna only warns, and
 * then never prunes).
 *
 * ```ts
 * const objective = async (trial: Trial) => {
 *   const model = mlp({ hidden: [trial.suggestInt('width', 32, 512)] });
 *   try {
 *     const history = await fit(model, train, { validation, epochs: 10, callbacks: [new TrialPruningCallback(trial, { monitor: 'val_accuracy' })] });
 *     return history.epochs.at(-1)?.val_accuracy ?? Number.NaN;
 *   } finally {
 *     model.dispose();
 *   }
 * };
 * ```
 */
export class TrialPruningCallback extends Callback {
  readonly monitor: MetricName;
  readonly interval: number;
  /** The epoch after which the pruner stopped the trial, or undefined while it was not pruned. */
  prunedAtEpoch: number | undefined;

  constructor(
    readonly trial: PrunableTrial,
    options: TrialPruningCallbackOptions = {},
  ) {
    super();
    if (typeof trial?.report !== 'function' || typeof trial.shouldPrune !== 'function') {
      throw new TrainerError(
        'TrialPruningCallback: trial: expected a trial with report(value, step) and shouldPrune(), such as the one study.optimize passes the objective',
      );
    }
    this.monitor = options.monitor ?? 'val_accuracy';
    // Checked at run time too: JavaScript callers have no compiler to catch it.
    if (typeof this.monitor !== 'string' || String(this.monitor) === '') {
      throw new TrainerError(`TrialPruningCallback: monitor: expected the name of an epoch log such as 'val_accuracy', got ${JSON.stringify(options.monitor)}`);
    }
    this.interval = options.interval ?? 1;
    if (!Number.isInteger(this.interval) || this.interval < 1) {
      throw new TrainerError(`TrialPruningCallback: interval: expected a positive integer, got ${JSON.stringify(options.interval)}`);
    }
  }

  onTrainBegin(): void {
    this.prunedAtEpoch = undefined;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if ((epoch + 1) % this.interval !== 0) return;
    const value = logs[this.monitor];
    if (typeof value !== 'number') {
      const hint = this.monitor.startsWith('val_') && !('val_loss' in logs) ? "; val_* metrics need `validation` in fit's options" : '';
      throw new TrainerError(`TrialPruningCallback: monitor: '${this.monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')})${hint}`);
    }
    this.trial.report(value, epoch);
    if (this.trial.shouldPrune()) {
      this.prunedAtEpoch = epoch;
      this.trainer.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.prunedAtEpoch !== undefined) throw new TrialPruned(`Trial was pruned at epoch ${this.prunedAtEpoch}.`);
  }
}
