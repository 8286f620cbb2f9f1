import { Callback, jsonNumber, stateNumber } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';

/**
 * Linear warm-up over the first `warmupSteps` optimizer steps, multiplying whatever rate the
 * other schedulers set (list it after them). The factor goes from `startFactor` to 1.
 */
export class LinearWarmup extends Callback {
  readonly warmupSteps: number;
  readonly startFactor: number;
  private scheduled = Number.NaN;
  private lastSet = Number.NaN;

  readonly interval = 'step';

  constructor(options: {
    warmupSteps: number;
    /** Default 0. */
    startFactor?: number;
    /** LinearWarmup moves before every batch: only 'step' (the default) is accepted, for uniformity with the other schedules. */
    interval?: 'step';
  }) {
    super();
    if (options.interval !== undefined && options.interval !== 'step')
      throw new TrainerError(`LinearWarmup.interval: it moves before every batch; expected 'step', got ${JSON.stringify(options.interval)}`);
    if (!Number.isInteger(options.warmupSteps) || options.warmupSteps < 1)
      throw new TrainerError(`LinearWarmup.warmupSteps: expected a positive integer, got ${options.warmupSteps}`);
    this.warmupSteps = options.warmupSteps;
    this.startFactor = options.startFactor ?? 0;
  }

  onBatchBegin(): void {
    const current = this.trainer.getLearningRate();
    // Anything but our own last write is the rate the other schedulers want.
    if (current !== this.lastSet) this.scheduled = current;
    const step = this.trainer.globalStep;
    const factor = step < this.warmupSteps ? this.startFactor + ((1 - this.startFactor) * (step + 1)) / this.warmupSteps : 1;
    this.lastSet = this.scheduled * factor;
    this.trainer.setLearningRate(this.lastSet);
  }

  getState() {
    return { scheduled: jsonNumber(this.scheduled), lastSet: jsonNumber(this.lastSet) };
  }

  setState(state: Record<string, unknown>): void {
    this.scheduled = stateNumber(state.scheduled);
    this.lastSet = stateNumber(state.lastSet);
  }
}
