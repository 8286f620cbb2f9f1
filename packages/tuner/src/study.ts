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
  /**
   * Errors of the objective that fail the trial but not the study (Optuna's `catch`): a list of
   * error classes (`[TypeError]`; `[Error]` for every Error), or a function that decides for each
   * thrown value. Any other error is recorded as the trial's FAIL, logged, and then rethrown: the
   * study stops and `optimize` rejects with it. Default: none, as in Optuna, so a bug in the
   * objective stops the study at its first trial instead of failing every trial. A `TrialPruned`
   * is never an error (the trial is PRUNED), and neither is a NaN result (the trial FAILs, the study goes on).
   */
  catch?: CatchErrors;
  /** Called after each finished trial. */
  callbacks?: ((study: Study, trial: FrozenTrial) => void | Promise<void>)[];
}

/** Which objective errors `optimize` records and goes on after: error classes, or a predicate. */
export type CatchErrors = readonly (abstract new (...args: never[]) => unknown)[] | ((error: unknown) => boolean);

function catchPredicate(value: CatchErrors | undefined): (error: unknown) => boolean {
  if (value === undefined) return () => false;
  if (typeof value === 'function') return value;
  if (Array.isArray(value) && value.every((c) => typeof c === 'function')) return (error) => value.some((cls) => error instanceof cls);
  throw new TunerError(`catch: expected a list of error classes or a function (error) => boolean, got ${JSON.stringify(value)}`);
}

/** An error as Optuna's log shows it (`repr(err)`): its class and message. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function fmt(v: number | null): string {
  return v === null ? 'None' : Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

/** Optuna logs progress to stderr; browsers have a console instead. */
const defaultLogger = (line: string): void => {
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr;
  if (stderr) stderr.write(`${line}\n`);
  else console.info(line);
};

/** A study (optuna.Study): ask/tell, optimize, best trial, trials, enqueued trials. */
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
      const list: unknown[] = Array.isArray(result) ? result : result === undefined ? [] : [result];
      const ok = list.length === this.directions.length && list.every((v) => typeof v === 'number' && !Number.isNaN(v));
      state = ok ? TrialState.COMPLETE : TrialState.FAIL;
      values = ok ? (list as number[]) : null;
    }
    await this.storage.setTrialStateValues(trial.trialId, state, values);
    const finished = await this.storage.getTrial(trial.trialId);
    this.sampler.afterTrial?.(this.view(), finished, state, values);
    await this.refresh();
    return finished;
  }

  /**
   * One line per finished trial, as Optuna logs them, after a counter: `[trial k/n]` where k counts
   * this `optimize` call's finished trials and n is its `nTrials` (as Optuna's progress bar counts),
   * or the study-wide `[trial number+1/maxTrials]` when only `maxTrials` bounds it.
   */
  private logTrial(t: FrozenTrial, counter: string, error: { value: unknown } | undefined): void {
    const params = JSON.stringify(t.params);
    let best = '';
    try {
      const b = this.bestTrial;
      best = ` Best is trial ${b.number} with value: ${fmt(b.value)}.`;
    } catch {
      // no completed trial yet
    }
    if (t.state === TrialState.COMPLETE) this.logger(`${counter} Trial ${t.number} finished with value: ${fmt(t.value)} and parameters: ${params}.${best}`);
    else if (t.state === TrialState.PRUNED)
      this.logger(`${counter} Trial ${t.number} pruned at step ${lastIntermediate(t)?.[0] ?? 0} (value ${fmt(t.value)}), parameters: ${params}.${best}`);
    else {
      const why = error ? describeError(error.value) : 'the objective returned NaN or no value';
      this.logger(`${counter} Trial ${t.number} failed with parameters: ${params} because of the following error: ${why}.${best}`);
    }
  }

  /**
   * Runs the objective on new trials (study.optimize). A NaN result fails its trial; a thrown
   * `TrialPruned` prunes it; any other error fails the trial and, unless `catch` takes it, stops the
   * study: the trials already running finish, no new one starts, and `optimize` rejects with the error.
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    const { nTrials, timeout, nJobs = 1, maxTrials } = options;
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 0)) throw new TunerError(`nTrials: expected a non-negative integer, got ${nTrials}`);
    if (!Number.isInteger(nJobs) || nJobs < 1) throw new TunerError(`nJobs: expected a positive integer, got ${nJobs}`);
    const catches = catchPredicate(options.catch);
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    let started = 0;
    let finished = 0;
    // The first error that stops the study (the objective's, a storage's or a callback's).
    let stopping: { error: unknown } | undefined;
    this.stopRequested = false;
    const worker = async () => {
      while (!this.stopRequested && !stopping && (nTrials === undefined || started < nTrials) && Date.now() < deadline) {
        started++;
        const trial = await this.ask({ maxTrials });
        if (!trial) {
          this.stopRequested = true;
          break;
        }
        let result: number | number[] | TrialState | undefined;
        let error: { value: unknown } | undefined;
        try {
          result = await objective(trial);
        } catch (e) {
          if (TrialPruned.isInstance(e)) result = TrialState.PRUNED;
          else {
            error = { value: e };
            result = TrialState.FAIL;
          }
        }
        const done = await this.tell(trial, result);
        finished++;
        const counter =
          nTrials !== undefined
            ? `[trial ${finished}/${nTrials}]`
            : maxTrials !== undefined
              ? `[trial ${done.number + 1}/${maxTrials}]`
              : `[trial ${finished}]`;
        this.logTrial(done, counter, error);
        // As Optuna: the error is raised before the callbacks see the trial.
        if (error && !catches(error.value)) throw error.value;
        for (const cb of options.callbacks ?? []) await cb(this, done);
      }
    };
    await Promise.all(
      Array.from({ length: nJobs }, () =>
        worker().catch((error: unknown) => {
          stopping ??= { error };
        }),
      ),
    );
    if (stopping) throw stopping.error;
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
        state: t.state,
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
