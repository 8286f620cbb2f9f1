import type { Logs } from '../callbacks/callback';
import { checkPositive, LRScheduler } from './lr-scheduler';
import { TrainerError } from '../trainer-error';

/** torch.optim.lr_scheduler.CosineAnnealingLR: half a cosine from base to etaMin over tMax epochs. */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(options: { tMax: number; etaMin?: number }) {
    super();
    this.tMax = checkPositive('CosineAnnealingLR.tMax', options.tMax);
    this.etaMin = options.etaMin ?? 0;
  }
  lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/**
 * torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (SGDR), stepped every batch with a
 * fractional epoch, as PyTorch's docs recommend: restarts after t0, t0*tMult, ... epochs.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  constructor(options: { t0: number; tMult?: number; etaMin?: number }) {
    super();
    this.t0 = checkPositive('CosineAnnealingWarmRestarts.t0', options.t0);
    this.tMult = options.tMult ?? 1;
    if (!Number.isInteger(this.tMult) || this.tMult < 1)
      throw new TrainerError(`CosineAnnealingWarmRestarts.tMult: expected an integer >= 1, got ${this.tMult}`);
    this.etaMin = options.etaMin ?? 0;
  }
  lrAt(epoch: number, base: number): number {
    let tCur = epoch;
    let tI = this.t0;
    if (this.tMult === 1) tCur = epoch % this.t0;
    else {
      const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
      tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
      tI = this.t0 * this.tMult ** n;
    }
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  }
  onBatchBegin(batch: number): void {
    const epoch = Math.floor(this.trainer.globalStep / this.trainer.stepsPerEpoch);
    this.trainer.setLearningRate(this.lrAt(epoch + batch / this.trainer.stepsPerEpoch, this.trainer.baseLearningRate));
  }
  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}
