import type { ParamValue } from './distributions';
import { type FrozenTrial, lastIntermediate } from './frozen-trial';
import type { Pruner } from './pruners/pruner';
import type { Sampler, StudyView } from './samplers/sampler';
import type { Storage } from './storage/storage';
import { Trial } from './trial';
import { TrialPruned } from './trial-pruned';
import { type Direction, TrialState } from './trial-state';
import { TunerError } from './tuner-error';

export type Objective = (trial: Trial) => number | number[] | Promise<number | number[]>;

export interface OptimizeOptions {
  /** Trials this call runs (across its jobs). Default: until `timeout`, or forever. */
  nTrials?: number;
  /** Stop starting trials after this many seconds. */
  timeout?: number;
  /** Concurrent trials in this process (async objectives). For CPU-bound work across cores use `runWorkers`. Default 1. */
  nJobs?: number;
  /** Stop once the study holds this many trials in total, counted atomically in the storage (shared by all workers). */
  maxTrials?: number;
  /** Which errors fail the trial but not the study: 'all' (default) or a list of error classes. */
  catch?: 'all' | (new (...args: never[]) => Error)[];
  /** Called after each finished trial. */
  callbacks?: ((study: Study, trial: FrozenTrial) => void | Promise<void>)[];
}

function fmt(v: number | null): string {
  return v === null ? 'None' : Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

/** A study (optuna.Study): ask/tell, optimize, best trial, trials, enqueued trials. */
/** Optuna logs progress to stderr; browsers have a console instead. */
const defaultLogger = (line: string): void => {
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (stderr) stderr.write(`${line}\n`);
  else console.info(line);
};

export class Study {
  /** Trials as last read from storage. */
  private cache: FrozenTrial[] = [];
  stopRequested = false;

  constructor(
    readonly studyName: string,
    readonly studyId: number,
    readonly storage: Storage,
    readonly directions: Direction[],
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    /** Progress lines (Optuna logs one per finished trial). Default: stderr. */
    readonly logger: (line: string) => void = defaultLogger,
  ) {}

  get direction(): Direction {
    if (this.directions.length !== 1) throw new TunerError('this is a multi-objective study: use directions');
    return this.directions[0];
  }

  /** Re-reads trials from storage (other workers' progress). */
  async refresh(): Promise<FrozenTrial[]> {
    this.cache = await this.storage.getAllTrials(this.studyId);
    return this.cache;
  }

  view(): StudyView {
    return { directions: this.directions, trials: this.cache };
  }

  /** Trials as last read (call `refresh()` first to see other processes' work). */
  get trials(): FrozenTrial[] {
    return this.cache;
  }

  getTrials(states?: TrialState[]): FrozenTrial[] {
    return states ? this.cache.filter((t) => states.includes(t.state)) : this.cache;
  }

  get bestTrial(): FrozenTrial {
    if (this.directions.length !== 1) throw new TunerError('bestTrial is for single-objective studies');
    const complete = this.getTrials([TrialState.COMPLETE]).filter((t) => t.value !== null);
    if (complete.length === 0) throw new TunerError(`study '${this.studyName}' has no completed trials yet`);
    const sign = this.direction === 'maximize' ? -1 : 1;
    return complete.reduce((best, t) => (sign * ((t.value as number) - (best.value as number)) < 0 ? t : best));
  }

  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  get bestParams(): Record<string, ParamValue> {
    return this.bestTrial.params;
  }

  async setUserAttr(key: string, value: unknown): Promise<void> {
    await this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  /** Queues a trial with fixed parameters; it runs before sampled ones (study.enqueue_trial). */
  async enqueueTrial(params: Record<string, ParamValue>, options: { userAttrs?: Record<string, unknown> } = {}): Promise<void> {
    await this.storage.createTrial(this.studyId, { state: TrialState.WAITING, systemAttrs: { fixed_params: params }, userAttrs: options.userAttrs ?? {} });
    await this.refresh();
  }

  /** Starts a trial: an enqueued one if any, else a new one (study.ask). Undefined when `maxTrials` is reached. */
  async ask(options: { maxTrials?: number } = {}): Promise<Trial | undefined> {
    await this.refresh();
    if (this.sampler.isExhausted?.(this.view())) return undefined;
    const frozen = (await this.storage.claimWaitingTrial(this.studyId)) ?? (await this.storage.createTrial(this.studyId, undefined, options));
    if (!frozen) return undefined;
    this.storage.startHeartbeat?.(frozen.trialId);
    await this.refresh();
    const space = this.sampler.inferRelativeSearchSpace(this.view(), frozen);
    const relative = Object.keys(space).length ? this.sampler.sampleRelative(this.view(), frozen, space) : {};
    return new Trial(this, frozen, space, relative);
  }

  /**
   * Finishes a trial with its value(s) or a state (study.tell). NaN or a missing value fails it;
   * ±Infinity completes it, as in Optuna. A pruned trial takes its last reported value, unless NaN.
   */
  async tell(trial: Trial, result?: number | number[] | TrialState): Promise<FrozenTrial> {
    await trial.flush();
    let state: TrialState;
    let values: number[] | null = null;
    if (result === TrialState.PRUNED || result === TrialState.FAIL) {
      state = result;
      const last = lastIntermediate(trial.frozen);
      if (state === TrialState.PRUNED && last && this.directions.length === 1 && !Number.isNaN(last[1])) values = [last[1]];
    } else {
      const list = Array.isArray(result) ? result : result === undefined ? [] : [result];
      const ok = list.length === this.directions.length && list.every((v) => typeof v === 'number' && !Number.isNaN(v));
      state = ok ? TrialState.COMPLETE : TrialState.FAIL;
      values = ok ? list : null;
    }
    await this.storage.setTrialStateValues(trial.trialId, state, values);
    const finished = await this.storage.getTrial(trial.trialId);
    this.sampler.afterTrial?.(this.view(), finished, state, values);
    await this.refresh();
    return finished;
  }

  private logTrial(t: FrozenTrial, nTrials: number | undefined, error?: Error): void {
    const head = `[trial ${t.number + 1}${nTrials ? `/${nTrials}` : ''}]`;
    const params = JSON.stringify(t.params);
    let best = '';
    try {
      const b = this.bestTrial;
      best = ` Best is trial ${b.number} with value: ${fmt(b.value)}.`;
    } catch {
      // no completed trial yet
    }
    if (t.state === TrialState.COMPLETE) this.logger(`${head} Trial ${t.number} finished with value: ${fmt(t.value)} and parameters: ${params}.${best}`);
    else if (t.state === TrialState.PRUNED)
      this.logger(`${head} Trial ${t.number} pruned at step ${lastIntermediate(t)?.[0] ?? 0} (value ${fmt(t.value)}), parameters: ${params}.${best}`);
    else
      this.logger(
        `${head} Trial ${t.number} failed${error ? ` because of the following error: ${error.message}` : ' (the objective returned NaN or no value)'}. Parameters: ${params}.${best}`,
      );
  }

  /** Runs the objective on new trials (study.optimize). A throwing or NaN objective fails its trial, not the study. */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    const { nTrials, timeout, nJobs = 1, maxTrials } = options;
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 0)) throw new TunerError(`nTrials: expected a non-negative integer, got ${nTrials}`);
    if (!Number.isInteger(nJobs) || nJobs < 1) throw new TunerError(`nJobs: expected a positive integer, got ${nJobs}`);
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    let started = 0;
    this.stopRequested = false;
    const worker = async () => {
      while (!this.stopRequested && (nTrials === undefined || started < nTrials) && Date.now() < deadline) {
        started++;
        const trial = await this.ask({ maxTrials });
        if (!trial) {
          this.stopRequested = true;
          break;
        }
        let result: number | number[] | TrialState | undefined;
        let error: Error | undefined;
        try {
          result = await objective(trial);
        } catch (e) {
          if (e instanceof TrialPruned) result = TrialState.PRUNED;
          else {
            error = e as Error;
            result = TrialState.FAIL;
          }
        }
        const finished = await this.tell(trial, result);
        this.logTrial(finished, nTrials ?? maxTrials, error);
        for (const cb of options.callbacks ?? []) await cb(this, finished);
        const catchable = options.catch === undefined || options.catch === 'all' || options.catch.some((cls) => error instanceof cls);
        if (error && !catchable) throw error;
      }
    };
    await Promise.all(Array.from({ length: nJobs }, worker));
  }

  /** Stops optimize() after the running trials (study.stop). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Trials as rows: number, state, value(s), times, params_*, user_attrs_*. */
  trialsTable(): Record<string, unknown>[] {
    const paramNames = [...new Set(this.cache.flatMap((t) => Object.keys(t.params)))].sort();
    const attrNames = [...new Set(this.cache.flatMap((t) => Object.keys(t.userAttrs)))].sort();
    return this.cache.map((t) => {
      const row: Record<string, unknown> = {
        number: t.number,
        state: TrialState[t.state],
        value: this.directions.length === 1 ? t.value : undefined,
        ...(this.directions.length > 1 ? Object.fromEntries((t.values ?? []).map((v, i) => [`values_${i}`, v])) : {}),
        datetime_start: t.datetimeStart,
        datetime_complete: t.datetimeComplete,
        duration_seconds: t.datetimeStart && t.datetimeComplete ? (Date.parse(t.datetimeComplete) - Date.parse(t.datetimeStart)) / 1000 : null,
      };
      for (const p of paramNames) row[`params_${p}`] = t.params[p] ?? null;
      for (const a of attrNames) row[`user_attrs_${a}`] = t.userAttrs[a] ?? null;
      return row;
    });
  }

  /** CSV of `trialsTable()`. */
  toCSV(): string {
    const rows = this.trialsTable();
    if (rows.length === 0) return '';
    const columns = Object.keys(rows[0]).filter((c) => rows.some((r) => r[c] !== undefined));
    const cell = (v: unknown) => {
      if (v === null || v === undefined) return '';
      // Non-finite numbers as pandas writes them (trials_dataframe().to_csv()), not JSON's null.
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n');
  }

  /** The study as JSON: name, directions, best trial and all trials. */
  toJSON(): Record<string, unknown> {
    let best: FrozenTrial | null = null;
    try {
      best = this.directions.length === 1 ? this.bestTrial : null;
    } catch {
      best = null;
    }
    return { studyName: this.studyName, directions: this.directions, bestTrial: best, trials: this.cache };
  }
}
