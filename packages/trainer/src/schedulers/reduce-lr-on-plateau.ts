import { Callback, jsonNumber, type Logs, resolveMode, stateNumber } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';
import type { MetricName } from '../callbacks/metric-name';

export interface ReduceLROnPlateauOptions {
  /** The metric watched: one `fit` logs, or one of yours registered in `CustomMetrics`. Default 'val_loss'. */
  monitor?: MetricName;
  /** New lr = lr * factor. Default 0.1. */
  factor?: number;
  /** Bad epochs tolerated; the rate drops on the next one (PyTorch). Default 10. */
  patience?: number;
  /** Default 'auto' (max for accuracy-like names). */
  mode?: 'auto' | 'min' | 'max';
  /** Improvement threshold. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best * (1 ∓ threshold); 'abs': best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Default 0. */
  minLr?: number;
  /** Changes smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/** torch.optim.lr_scheduler.ReduceLROnPlateau, with its exact semantics, as a callback. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: MetricName;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  /** Best value so far; starts at the worst (Infinity when minimising), as PyTorch's. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new TrainerError(`ReduceLROnPlateau.factor: expected a number in (0, 1), got ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.mode = resolveMode(this.monitor, options.mode ?? 'auto');
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    this.eps = options.eps ?? 1e-8;
    this.best = this.worst();
  }

  private worst(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** PyTorch's rule; a NaN value is never better (a bad epoch). */
  private isBetter(a: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < this.best * (1 - t) : a < this.best - t;
    return this.thresholdMode === 'rel' ? a > this.best * (1 + t) : a > this.best + t;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) throw new TrainerError(`ReduceLROnPlateau: monitor '${this.monitor}' is not in the logs (${Object.keys(logs).join(', ')})`);
    if (this.isBetter(value)) {
      this.best = value;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const old = this.trainer.getLearningRate();
      const next = Math.max(old * this.factor, this.minLr);
      if (old - next > this.eps) this.trainer.setLearningRate(next);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    logs.lr = this.trainer.getLearningRate();
  }

  getState() {
    return { best: jsonNumber(this.best), numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  setState(state: Record<string, unknown>): void {
    // Checkpoints written before `best` started at the worst value hold NaN (null) for "none yet".
    const best = stateNumber(state.best);
    this.best = Number.isNaN(best) ? this.worst() : best;
    this.numBadEpochs = stateNumber(state.numBadEpochs, 0);
    this.cooldownCounter = stateNumber(state.cooldownCounter, 0);
  }
}
