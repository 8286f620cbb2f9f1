import { Callback, type Logs, stateNumber } from './callback';

/** Stops training as soon as a batch loss is NaN or infinite (keras.callbacks.TerminateOnNaN). */
export class TerminateOnNaN extends Callback {
  /** Batch at which the loss went non-finite, or -1. */
  stoppedAt = -1;
  onBatchEnd(batch: number, logs: Logs): void {
    if (!Number.isFinite(logs.loss)) {
      this.stoppedAt = batch;
      this.trainer.stopTraining = true;
    }
  }

  getState() {
    return { stoppedAt: this.stoppedAt };
  }

  setState(state: Record<string, unknown>): void {
    this.stoppedAt = stateNumber(state.stoppedAt, -1);
  }
}
