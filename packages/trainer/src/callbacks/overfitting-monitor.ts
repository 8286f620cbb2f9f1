import { Callback, type Logs, stateNumber } from './callback';

export interface OverfittingReport {
  /** Per epoch: train accuracy minus validation accuracy (positive = overfitting). */
  gaps: number[];
  finalGap: number;
  maxGap: number;
  /** Epoch after which validation loss rose while training loss kept falling, or -1. */
  divergesAt: number;
  verdict: 'none' | 'mild' | 'overfitting';
}

/** Tracks the train/validation gap per epoch: the journey's theme. Logs `gap`; `report()` at the end. */
export class OverfittingMonitor extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly gaps: number[] = [];
  private trainLoss: number[] = [];
  private valLoss: number[] = [];

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (logs.accuracy === undefined || logs.val_accuracy === undefined) return;
    logs.gap = logs.accuracy - logs.val_accuracy;
    this.gaps.push(logs.gap);
    this.trainLoss.push(logs.loss);
    this.valLoss.push(logs.val_loss);
  }

  getState() {
    return { gaps: [...this.gaps], trainLoss: [...this.trainLoss], valLoss: [...this.valLoss] };
  }

  setState(state: Record<string, unknown>): void {
    const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => stateNumber(x)) : []);
    this.gaps.splice(0, this.gaps.length, ...list(state.gaps));
    this.trainLoss = list(state.trainLoss);
    this.valLoss = list(state.valLoss);
  }

  report(): OverfittingReport {
    let best = 0;
    this.valLoss.forEach((v, i) => {
      if (v < this.valLoss[best]) best = i;
    });
    const rising = best < this.valLoss.length - 1 && this.trainLoss[this.trainLoss.length - 1] < this.trainLoss[best];
    const finalGap = this.gaps.at(-1) ?? 0;
    return {
      gaps: this.gaps,
      finalGap,
      maxGap: Math.max(0, ...this.gaps),
      divergesAt: rising ? best : -1,
      verdict: finalGap > 0.05 || rising ? 'overfitting' : finalGap > 0.02 ? 'mild' : 'none',
    };
  }
}
