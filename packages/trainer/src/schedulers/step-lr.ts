import { checkPositive, LRScheduler } from './lr-scheduler';

/** torch.optim.lr_scheduler.StepLR: multiply by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(options: { stepSize: number; gamma?: number }) {
    super();
    this.stepSize = checkPositive('StepLR.stepSize', options.stepSize);
    this.gamma = options.gamma ?? 0.1;
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** torch.optim.lr_scheduler.MultiStepLR: multiply by `gamma` at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(options: { milestones: number[]; gamma?: number }) {
    super();
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

/** torch.optim.lr_scheduler.ExponentialLR: multiply by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(options: { gamma: number }) {
    super();
    this.gamma = checkPositive('ExponentialLR.gamma', options.gamma);
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}

/** torch.optim.lr_scheduler.LinearLR: factor goes linearly from startFactor to endFactor over totalIters epochs. */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super();
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
  }
  lrAt(epoch: number, base: number): number {
    const t = Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * t);
  }
}
