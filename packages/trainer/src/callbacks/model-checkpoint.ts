import { join } from 'node:path';
import { saveModel } from '@fmnist/models';
import { TrainerError } from '../trainer-error';
import { Callback, jsonNumber, type Logs, resolveMode, stateNumber } from './callback';
import type { MetricName } from './metric-name';

export interface ModelCheckpointOptions {
  /** Directory for `checkpoint.json` (resume state) and `best/` or `last/` (the model). */
  dir: string;
  /** The metric watched: one `fit` logs, or one of yours registered in `CustomMetrics`. Default 'val_loss'. */
  monitor?: MetricName;
  /** Only save when the monitored value improves. Default false. */
  saveBestOnly?: boolean;
  /** Save every N epochs. Default 1. */
  every?: number;
  /** Default 'auto'. */
  mode?: 'auto' | 'min' | 'max';
}

/**
 * Saves, atomically, the full training state (weights, optimizer moments, epoch, RNG/dropout
 * state, history, callback state) so `fit(..., { resumeFrom: dir })` continues as if never stopped,
 * and the model itself in the standard tfjs format under `dir/best` (saveBestOnly) or `dir/last`.
 */
export class ModelCheckpoint extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly dir: string;
  readonly monitor: MetricName;
  readonly saveBestOnly: boolean;
  readonly every: number;
  readonly mode: 'min' | 'max';
  best = Number.NaN;
  /** Epochs at which a checkpoint was written. */
  readonly saved: number[] = [];

  constructor(options: ModelCheckpointOptions) {
    super();
    this.dir = options.dir;
    this.monitor = options.monitor ?? 'val_loss';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.every = options.every ?? 1;
    this.mode = resolveMode(this.monitor, options.mode ?? 'auto');
  }

  private pending = false;

  /** Decides whether this epoch is saved; the save itself waits for every callback (afterEpochEnd). */
  onEpochEnd(epoch: number, logs: Logs): void {
    this.pending = false;
    if ((epoch + 1) % this.every !== 0) return;
    const value = logs[this.monitor];
    // Saving the best of a metric that is not logged would save nothing, silently (Lightning raises too).
    if (value === undefined && this.saveBestOnly) {
      throw new TrainerError(`ModelCheckpoint: monitor '${this.monitor}' is not in the logs (${Object.keys(logs).join(', ')})`);
    }
    const improved = value !== undefined && (Number.isNaN(this.best) || (this.mode === 'min' ? value < this.best : value > this.best));
    if (improved) this.best = value;
    if (this.saveBestOnly && !improved) return;
    this.pending = true;
  }

  async afterEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.pending) return;
    this.pending = false;
    this.saved.push(epoch);
    await this.trainer.saveCheckpoint(this.dir);
    const layers = this.trainer.model.layersModel;
    // The saved model is the one the logged metrics measured (an EMA's average, when validation ran
    // on it); its metadata is what the model carries (zoo name and options, the training loader's
    // input convention and classes, recorded by createModel and fit) and this epoch's logs.
    if (layers)
      await this.trainer.withValidatedWeights(() => saveModel(layers, join(this.dir, this.saveBestOnly ? 'best' : 'last'), { training: { epoch, ...logs } }));
  }

  getState() {
    return { best: jsonNumber(this.best), saved: [...this.saved] };
  }

  setState(state: Record<string, unknown>): void {
    this.best = stateNumber(state.best);
    if (Array.isArray(state.saved)) this.saved.splice(0, this.saved.length, ...state.saved.map((e) => stateNumber(e)));
  }
}
