import type { Logs } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';
import { checkPositive, LRScheduler, type ScheduleIntervalOption } from './lr-scheduler';

export interface CosineAnnealingLROptions extends ScheduleIntervalOption {
  /** Length of the half cosine, in epochs (or optimizer steps with `interval: 'step'`). */
  tMax: number;
  /** Default 0. */
  etaMin?: number;
}

/**
 * torch.optim.lr_scheduler.CosineAnnealingLR: half a cosine from the base rate to etaMin over tMax
 * epochs, or over tMax optimizer steps with `interval: 'step'` (stepped per batch, so a one-epoch
 * run anneals too). Past tMax it follows the cosine back up, as PyTorch's does.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(options: CosineAnnealingLROptions) {
    super(options, 'CosineAnnealingLR');
    this.tMax = checkPositive('CosineAnnealingLR.tMax', options.tMax);
    this.etaMin = options.etaMin ?? 0;
  }
  lrAt(t: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

export interface CosineAnnealingWarmRestartsOptions extends ScheduleIntervalOption {
  /** Length of the first cycle, in epochs (or optimizer steps with `interval: 'step'`). */
  t0: number;
  /** Each cycle is tMult times longer than the previous. Default 1. */
  tMult?: number;
  /** Default 0. */
  etaMin?: number;
}

/**
 * torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (SGDR): restarts after t0, t0*tMult, ...
 * epochs. With `interval: 'epoch'` (default) it is stepped every batch with a fractional epoch,
 * `scheduler.step(epoch + i / iters)` as PyTorch's docs recommend; with `interval: 'step'` t0 counts
 * optimizer steps.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  constructor(options: CosineAnnealingWarmRestartsOptions) {
    super(options, 'CosineAnnealingWarmRestarts');
    this.t0 = checkPositive('CosineAnnealingWarmRestarts.t0', options.t0);
    this.tMult = options.tMult ?? 1;
    if (!Number.isInteger(this.tMult) || this.tMult < 1)
      throw new TrainerError(`CosineAnnealingWarmRestarts.tMult: expected an integer >= 1, got ${this.tMult}`);
    this.etaMin = options.etaMin ?? 0;
  }
  lrAt(t: number, base: number): number {
    let tCur = t;
    let tI = this.t0;
    if (t >= this.t0) {
      if (this.tMult === 1) tCur = t % this.t0;
      else {
        const n = Math.floor(Math.log((t / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        tCur = t - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        tI = this.t0 * this.tMult ** n;
      }
    }
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  }
  override onEpochBegin(): void {}
  override onBatchBegin(batch: number): void {
    const steps = this.trainer.stepsPerEpoch;
    const t = this.interval === 'step' ? this.trainer.globalStep : Math.floor(this.trainer.globalStep / steps) + batch / steps;
    this.trainer.setLearningRate(this.lrAt(t, this.trainer.baseLearningRate));
  }
  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}
