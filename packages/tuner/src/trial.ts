import {
  type CategoricalChoice,
  categoricalDistribution,
  contains,
  type Distribution,
  floatDistribution,
  intDistribution,
  type ParamValue,
  sameDistribution,
  toInternal,
} from './distributions';
import type { FrozenTrial } from './frozen-trial';
import type { Study } from './study';
import { TunerError } from './tuner-error';

/**
 * A running trial (optuna.trial.Trial): suggest parameters, report intermediate values, ask
 * whether to prune. Suggestions are synchronous; storage writes are queued and flushed when the
 * trial is told.
 */
export class Trial {
  private writes: Promise<void> = Promise.resolve();
  private writeError: Error | undefined;
  private gridIdStored = false;

  constructor(
    readonly study: Study,
    /** This trial's live record (params, intermediate values, attributes). */
    readonly frozen: FrozenTrial,
    private readonly relativeSpace: Record<string, Distribution>,
    private readonly relativeParams: Record<string, ParamValue>,
  ) {}

  get number(): number {
    return this.frozen.number;
  }

  get trialId(): number {
    return this.frozen.trialId;
  }

  get params(): Record<string, ParamValue> {
    return { ...this.frozen.params };
  }

  get distributions(): Record<string, Distribution> {
    return { ...this.frozen.distributions };
  }

  get userAttrs(): Record<string, unknown> {
    return { ...this.frozen.userAttrs };
  }

  private enqueue(fn: () => Promise<void>): void {
    this.writes = this.writes.then(fn).catch((error: Error) => {
      this.writeError ??= error;
    });
  }

  /** Waits for queued storage writes; throws the first one that failed. */
  async flush(): Promise<void> {
    await this.writes;
    if (this.writeError) throw this.writeError;
  }

  private suggest(name: string, d: Distribution): ParamValue {
    if (name in this.frozen.params) {
      if (!sameDistribution(this.frozen.distributions[name], d)) {
        throw new TunerError(`${name}: suggested again with a different distribution in trial ${this.number}`);
      }
      return this.frozen.params[name];
    }
    const fixed = (this.frozen.systemAttrs.fixed_params as Record<string, ParamValue> | undefined)?.[name];
    let value: ParamValue;
    if (fixed !== undefined && contains(d, fixed)) value = fixed;
    else if (name in this.relativeParams && this.relativeSpace[name] && sameDistribution(this.relativeSpace[name], d)) value = this.relativeParams[name];
    else value = this.study.sampler.sampleIndependent(this.study.view(), this.frozen, name, d);
    this.frozen.params[name] = value;
    this.frozen.distributions[name] = d;
    const internal = toInternal(d, value);
    // The grid sampler assigns the trial's grid point on its first suggestion: store it once.
    const gridId = this.frozen.systemAttrs.grid_id;
    const newGridId = gridId !== undefined && !this.gridIdStored;
    if (newGridId) this.gridIdStored = true;
    this.enqueue(async () => {
      if (newGridId) await this.study.storage.setTrialSystemAttr(this.trialId, 'grid_id', gridId);
      await this.study.storage.setTrialParam(this.trialId, name, internal, d);
    });
    return value;
  }

  /** A float in [low, high], optionally log-uniform or on a step grid (trial.suggest_float). */
  suggestFloat(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  /** An integer in [low, high] inclusive (trial.suggest_int). */
  suggestInt(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, intDistribution(name, low, high, options)) as number;
  }

  /** One of `choices` (trial.suggest_categorical). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** Reports an intermediate objective value at `step` (an epoch, usually), for pruning. */
  report(value: number, step: number): void {
    if (!Number.isInteger(step) || step < 0) throw new TunerError(`report: step must be a non-negative integer, got ${step}`);
    if (typeof value !== 'number') throw new TunerError(`report: value must be a number, got ${typeof value}`);
    if (step in this.frozen.intermediateValues) return; // Optuna ignores repeated steps
    this.frozen.intermediateValues[step] = value;
    this.enqueue(async () => {
      await this.study.storage.setTrialIntermediateValue(this.trialId, step, value);
      await this.study.refresh(); // so the pruner sees other workers' progress
    });
  }

  /** Whether the study's pruner says to stop this trial now (then throw `new TrialPruned()`). */
  shouldPrune(): boolean {
    const before = { ...this.frozen.systemAttrs };
    const prune = this.study.pruner.prune(this.study.view(), this.frozen);
    for (const [k, v] of Object.entries(this.frozen.systemAttrs)) {
      if (before[k] !== v) this.enqueue(() => this.study.storage.setTrialSystemAttr(this.trialId, k, v));
    }
    return prune;
  }

  setUserAttr(key: string, value: unknown): void {
    this.frozen.userAttrs[key] = value;
    this.enqueue(() => this.study.storage.setTrialUserAttr(this.trialId, key, value));
  }
}
