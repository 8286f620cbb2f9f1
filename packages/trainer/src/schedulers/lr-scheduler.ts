import { Callback, type Logs } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';

/**
 * When a schedule moves: `'epoch'`, between epochs, counting epochs (PyTorch's usual
 * `scheduler.step()` after each epoch); `'step'`, before every batch, counting optimizer steps
 * (`scheduler.step()` after each batch, with `tMax`, `stepSize`... in steps). Lightning's name.
 */
export type ScheduleInterval = 'epoch' | 'step';

export interface ScheduleIntervalOption {
  /** Default 'epoch'. */
  interval?: ScheduleInterval;
}

export function checkInterval(name: string, interval: ScheduleInterval | undefined): ScheduleInterval {
  const value = interval ?? 'epoch';
  if (value !== 'epoch' && value !== 'step') throw new TrainerError(`${name}.interval: expected 'epoch' or 'step', got ${JSON.stringify(value)}`);
  return value;
}

/**
 * A learning-rate schedule with PyTorch's semantics: with `interval: 'epoch'` (default) epoch e
 * trains at `lrAt(e, base)`, what torch gives after e calls of `scheduler.step()`; with
 * `interval: 'step'` the batch after s optimizer steps trains at `lrAt(s, base)`. Logs the rate as `lr`.
 */
export abstract class LRScheduler extends Callback {
  readonly interval: ScheduleInterval;

  /** `name` is the class's, for error messages. */
  constructor(options: ScheduleIntervalOption, name: string) {
    super();
    this.interval = checkInterval(name, options.interval);
  }

  /** The rate after `t` scheduler steps (epochs or optimizer steps, as `interval` says). */
  abstract lrAt(t: number, base: number): number;

  onEpochBegin(epoch: number): void {
    if (this.interval === 'epoch') this.trainer.setLearningRate(this.lrAt(epoch, this.trainer.baseLearningRate));
  }

  onBatchBegin(_batch: number, _logs?: Logs): void {
    if (this.interval === 'step') this.trainer.setLearningRate(this.lrAt(this.trainer.globalStep, this.trainer.baseLearningRate));
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}

export function checkPositive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new TrainerError(`${name}: expected a positive number, got ${value}`);
  return value;
}
