import { Callback, type Logs } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';

/**
 * An epoch-wise learning-rate schedule with PyTorch's semantics: epoch e trains at `lrAt(e, base)`
 * (what torch gives after e calls of `scheduler.step()`). Logs the rate as `lr`.
 */
export abstract class LRScheduler extends Callback {
  abstract lrAt(epoch: number, base: number): number;

  onEpochBegin(epoch: number): void {
    this.trainer.setLearningRate(this.lrAt(epoch, this.trainer.baseLearningRate));
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}

export function checkPositive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new TrainerError(`${name}: expected a positive number, got ${value}`);
  return value;
}
