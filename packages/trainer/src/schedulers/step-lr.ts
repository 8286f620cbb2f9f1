import { TrainerError } from '../trainer-error';
import { checkPositive, LRScheduler, type ScheduleIntervalOption } from './lr-scheduler';

/** torch.optim.lr_scheduler.StepLR: multiply by `gamma` every `stepSize` epochs (or steps, with `interval: 'step'`). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(options: { stepSize: number /** Default 0.1. */; gamma?: number } & ScheduleIntervalOption) {
    super(options, 'StepLR');
    this.stepSize = checkPositive('StepLR.stepSize', options.stepSize);
    this.gamma = options.gamma ?? 0.1;
  }
  lrAt(t: number, base: number): number {
    return base * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/** torch.optim.lr_scheduler.MultiStepLR: multiply by `gamma` at each milestone (epochs, or steps with `interval: 'step'`). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(options: { milestones: number[] /** Default 0.1. */; gamma?: number } & ScheduleIntervalOption) {
    super(options, 'MultiStepLR');
    if (!Array.isArray(options.milestones) || options.milestones.some((m) => !Number.isInteger(m) || m < 0))
      throw new TrainerError(`MultiStepLR.milestones: expected integers >= 0, got ${JSON.stringify(options.milestones)}`);
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
  }
  lrAt(t: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= t).length;
  }
}

/** torch.optim.lr_scheduler.ExponentialLR: multiply by `gamma` every epoch (or step). */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(options: { gamma: number } & ScheduleIntervalOption) {
    super(options, 'ExponentialLR');
    this.gamma = checkPositive('ExponentialLR.gamma', options.gamma);
  }
  lrAt(t: number, base: number): number {
    return base * this.gamma ** t;
  }
}

/** torch.optim.lr_scheduler.LinearLR: factor goes linearly from startFactor to endFactor over totalIters epochs (or steps). */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(
    options: {
      /** Default 1/3. */
      startFactor?: number;
      /** Default 1. */
      endFactor?: number;
      /** Default 5. */
      totalIters?: number;
    } & ScheduleIntervalOption = {},
  ) {
    super(options, 'LinearLR');
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) throw new TrainerError(`LinearLR.startFactor: expected a number in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) throw new TrainerError(`LinearLR.endFactor: expected a number in [0, 1], got ${this.endFactor}`);
    if (!Number.isInteger(this.totalIters) || this.totalIters < 1)
      throw new TrainerError(`LinearLR.totalIters: expected a positive integer, got ${this.totalIters}`);
  }
  lrAt(t: number, base: number): number {
    const f = Math.min(t, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * f);
  }
}
