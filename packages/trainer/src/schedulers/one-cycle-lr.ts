import { Callback, type Logs } from '../callbacks/callback';
import { checkPositive } from './lr-scheduler';

export interface OneCycleLROptions {
  maxLr: number;
  /** Total optimizer steps. Default: epochs * steps per epoch of the run. */
  totalSteps?: number;
  /** Fraction of the cycle spent increasing. Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** initial lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** final lr = initial lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Default false. */
  threePhase?: boolean;
}

/** torch.optim.lr_scheduler.OneCycleLR (Smith & Topin), stepped every batch. */
export class OneCycleLR extends Callback {
  readonly options: Required<Omit<OneCycleLROptions, 'totalSteps'>> & { totalSteps?: number };

  constructor(options: OneCycleLROptions) {
    super();
    checkPositive('OneCycleLR.maxLr', options.maxLr);
    this.options = { pctStart: 0.3, annealStrategy: 'cos', divFactor: 25, finalDivFactor: 1e4, threePhase: false, ...options };
  }

  /** Learning rate at optimizer step `step` (0-based) of `total`. */
  lrAtStep(step: number, total: number): number {
    const { maxLr, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase } = this.options;
    const initial = maxLr / divFactor;
    const min = initial / finalDivFactor;
    const anneal = (start: number, end: number, pct: number) =>
      annealStrategy === 'cos' ? end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct)) : (end - start) * pct + start;
    const up = pctStart * total - 1;
    const phases = threePhase
      ? [
          { end: up, from: initial, to: maxLr },
          { end: 2 * up, from: maxLr, to: initial },
          { end: total - 1, from: initial, to: min },
        ]
      : [
          { end: up, from: initial, to: maxLr },
          { end: total - 1, from: maxLr, to: min },
        ];
    let start = 0;
    for (const phase of phases) {
      if (step <= phase.end || phase === phases[phases.length - 1]) {
        return anneal(phase.from, phase.to, Math.min(1, (step - start) / (phase.end - start)));
      }
      start = phase.end;
    }
    return min;
  }

  onBatchBegin(): void {
    const total = this.options.totalSteps ?? this.trainer.epochs * this.trainer.stepsPerEpoch;
    this.trainer.setLearningRate(this.lrAtStep(Math.min(this.trainer.globalStep, total - 1), total));
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}
