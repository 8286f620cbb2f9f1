import { Callback, type Logs, type TrainerControl } from '../callbacks/callback';
import { TrainerError } from '../trainer-error';
import { checkPositive } from './lr-scheduler';

export interface OneCycleLROptions {
  maxLr: number;
  /** Total optimizer steps. Default: epochs * steps per epoch of the run. */
  totalSteps?: number;
  /** Fraction of the cycle spent increasing the rate. Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /**
   * Cycle the optimizer's momentum (SGD's and RMSprop's `momentum`, Adam's β1) inversely to the
   * rate, between maxMomentum and baseMomentum. SGD or RMSprop without momentum gets it, as in
   * PyTorch. Default true.
   */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number;
  /** Default 0.95. */
  maxMomentum?: number;
  /** initial lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** final lr = initial lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Up to maxLr, back down to the initial rate, then annealing to the final rate. Default false. */
  threePhase?: boolean;
  /** OneCycleLR moves before every batch: only 'step' (the default) is accepted, for uniformity with the other schedules. */
  interval?: 'step';
}

/** The part of an optimizer OneCycleLR cycles (our Optimizer has it). */
export interface MomentumControl {
  getMomentum(): number | undefined;
  setMomentum(momentum: number): void;
}

interface Phase {
  end: number;
  from: number;
  to: number;
  momentumFrom: number;
  momentumTo: number;
}

// Warned once per process: a trainer control without the optimizer leaves the momentum fixed.
let warnedNoOptimizer = false;

/** torch.optim.lr_scheduler.OneCycleLR (Smith & Topin), stepped every batch, with PyTorch's defaults. */
export class OneCycleLR extends Callback {
  readonly options: Required<Omit<OneCycleLROptions, 'totalSteps' | 'interval'>> & { totalSteps?: number };
  readonly interval = 'step';

  /** Without `totalSteps` the cycle spans the run's epochs: another epoch count is another schedule. */
  dependsOnEpochCount(): boolean {
    return this.options.totalSteps === undefined;
  }

  constructor(options: OneCycleLROptions) {
    super();
    checkPositive('OneCycleLR.maxLr', options.maxLr);
    const { interval, ...rest } = options;
    if (interval !== undefined && interval !== 'step')
      throw new TrainerError(`OneCycleLR.interval: it moves before every batch; expected 'step', got ${JSON.stringify(interval)}`);
    this.options = {
      pctStart: 0.3,
      annealStrategy: 'cos',
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
      divFactor: 25,
      finalDivFactor: 1e4,
      threePhase: false,
      ...rest,
    };
    const o = this.options;
    if (o.totalSteps !== undefined && !(Number.isInteger(o.totalSteps) && o.totalSteps > 0))
      throw new TrainerError(`OneCycleLR.totalSteps: expected a positive integer, got ${o.totalSteps}`);
    if (!(o.pctStart >= 0 && o.pctStart <= 1)) throw new TrainerError(`OneCycleLR.pctStart: expected a number in [0, 1], got ${o.pctStart}`);
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear')
      throw new TrainerError(`OneCycleLR.annealStrategy: expected 'cos' or 'linear', got ${JSON.stringify(o.annealStrategy)}`);
    checkPositive('OneCycleLR.divFactor', o.divFactor);
    checkPositive('OneCycleLR.finalDivFactor', o.finalDivFactor);
  }

  private phases(total: number): Phase[] {
    const { maxLr, pctStart, divFactor, finalDivFactor, threePhase, baseMomentum: lo, maxMomentum: hi } = this.options;
    const initial = maxLr / divFactor;
    const min = initial / finalDivFactor;
    const up = pctStart * total - 1;
    return threePhase
      ? [
          { end: up, from: initial, to: maxLr, momentumFrom: hi, momentumTo: lo },
          { end: 2 * pctStart * total - 2, from: maxLr, to: initial, momentumFrom: lo, momentumTo: hi },
          { end: total - 1, from: initial, to: min, momentumFrom: hi, momentumTo: hi },
        ]
      : [
          { end: up, from: initial, to: maxLr, momentumFrom: hi, momentumTo: lo },
          { end: total - 1, from: maxLr, to: min, momentumFrom: lo, momentumTo: hi },
        ];
  }

  /** Learning rate and momentum at optimizer step `step` (0-based) of `total`, as PyTorch computes them. */
  at(step: number, total: number): { lr: number; momentum: number } {
    const anneal = (start: number, end: number, pct: number) =>
      this.options.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    const phases = this.phases(total);
    let start = 0;
    for (const [i, phase] of phases.entries()) {
      if (step <= phase.end || i === phases.length - 1) {
        const pct = (step - start) / (phase.end - start);
        return { lr: anneal(phase.from, phase.to, pct), momentum: anneal(phase.momentumFrom, phase.momentumTo, pct) };
      }
      start = phase.end;
    }
    throw new TrainerError('OneCycleLR: no phases');
  }

  /** Learning rate at optimizer step `step` (0-based) of `total`. */
  lrAtStep(step: number, total: number): number {
    return this.at(step, total).lr;
  }

  onBatchBegin(): void {
    const total = this.options.totalSteps ?? this.trainer.epochs * this.trainer.stepsPerEpoch;
    // PyTorch refuses to step past totalSteps; we hold the final rate.
    const { lr, momentum } = this.at(Math.min(this.trainer.globalStep, total - 1), total);
    this.trainer.setLearningRate(lr);
    if (!this.options.cycleMomentum) return;
    const optimizer = (this.trainer as TrainerControl & { optimizer?: MomentumControl }).optimizer;
    if (!optimizer) {
      if (!warnedNoOptimizer) console.warn('OneCycleLR: the trainer exposes no optimizer, so the momentum is not cycled (cycleMomentum)');
      warnedNoOptimizer = true;
      return;
    }
    if (optimizer.getMomentum() === undefined)
      throw new TrainerError('OneCycleLR.cycleMomentum: the optimizer has no momentum or beta1; pass cycleMomentum: false');
    optimizer.setMomentum(momentum);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr ??= this.trainer.getLearningRate();
  }
}
