import { createRequire } from 'node:module';
import type { Pool, PoolClient } from 'pg';
import { type Distribution, distributionFromJson, distributionToJson, toExternal } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { isFinished, type StudyDirection, TrialState, trialStateFromOptuna, trialStateToOptuna } from '../trial-state';
import { TunerError } from '../tuner-error';
import { pythonNow } from './journal-storage';
import type { Storage, StudySummary, TrialTemplate } from './storage';

export interface PostgresStorageOptions {
  /** Seconds between heartbeats of a running trial. Default 5. */
  heartbeatInterval?: number;
  /** A running trial whose heartbeat is older than this many seconds is failed. Default 3 x interval. */
  gracePeriod?: number;
  /** Re-enqueue a trial failed by a dead worker (with its parameters) up to this many times. Default 0. */
  maxRetry?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fmnist_studies (
  study_id SERIAL PRIMARY KEY,
  study_name TEXT UNIQUE NOT NULL,
  directions INTEGER[] NOT NULL,
  user_attrs JSONB NOT NULL DEFAULT '{}',
  system_attrs JSONB NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS fmnist_trials (
  trial_id SERIAL PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES fmnist_studies(study_id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state INTEGER NOT NULL,
  vals JSONB,
  params JSONB NOT NULL DEFAULT '{}',
  distributions JSONB NOT NULL DEFAULT '{}',
  user_attrs JSONB NOT NULL DEFAULT '{}',
  system_attrs JSONB NOT NULL DEFAULT '{}',
  intermediate JSONB NOT NULL DEFAULT '{}',
  datetime_start TEXT,
  datetime_complete TEXT,
  heartbeat TIMESTAMPTZ,
  grace_period DOUBLE PRECISION,
  UNIQUE (study_id, number)
);
ALTER TABLE fmnist_trials ADD COLUMN IF NOT EXISTS grace_period DOUBLE PRECISION;`;

/**
 * JSONB has no NaN or ±Infinity (JSON.stringify would make them null): in the value columns
 * (`vals`, `intermediate`) such a number is kept as the string JavaScript and Python print for it
 * ('NaN', 'Infinity', '-Infinity'), and read back as the number.
 */
function encodeNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

function decodeNumber(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

function encodeValues(values: number[] | null): string | null {
  return values === null ? null : JSON.stringify(values.map(encodeNumber));
}

function encodeIntermediate(values: Record<number, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeNumber(v)])));
}

interface TrialRow {
  trial_id: number;
  number: number;
  state: number;
  vals: (number | string)[] | null;
  params: Record<string, number>;
  distributions: Record<string, string>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  intermediate: Record<string, number | string>;
  datetime_start: string | null;
  datetime_complete: string | null;
}

function toFrozen(r: TrialRow): FrozenTrial {
  const distributions: Record<string, Distribution> = Object.fromEntries(Object.entries(r.distributions).map(([k, v]) => [k, distributionFromJson(v)]));
  const values = r.vals === null ? null : r.vals.map(decodeNumber);
  return {
    trialId: r.trial_id,
    number: r.number,
    state: trialStateFromOptuna(r.state),
    values,
    value: values && values.length === 1 ? values[0] : null,
    params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, toExternal(distributions[k], v)])),
    distributions,
    userAttrs: r.user_attrs,
    systemAttrs: r.system_attrs,
    intermediateValues: Object.fromEntries(Object.entries(r.intermediate).map(([k, v]) => [Number(k), decodeNumber(v)])),
    datetimeStart: r.datetime_start,
    datetimeComplete: r.datetime_complete,
  };
}

/**
 * Studies in PostgreSQL, shared by workers on many machines (Optuna's RDB storage, our schema).
 * New trials are numbered under a per-study advisory lock, enqueued trials are claimed with
 * `FOR UPDATE SKIP LOCKED` (no trial runs twice), running trials send heartbeats, and a trial
 * whose worker died is failed (and optionally retried) by the next worker that asks.
 */
/**
 * pg, an optional peer: loaded only when a postgres:// storage is asked for. A plain require: pg
 * is CommonJS, and bundlers' ESM interop of it breaks its class hierarchy.
 */
export function loadPg(url: string, load: (id: string) => unknown = createRequire(import.meta.url)): typeof import('pg') {
  try {
    return load('pg') as typeof import('pg');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new TunerError(`storage ${url.replace(/:[^:@/]*@/, ':***@')}: PostgreSQL storage needs the optional package pg (npm i pg)`);
  }
}

export class PostgresStorage implements Storage {
  private readonly heartbeats = new Map<number, NodeJS.Timeout>();
  readonly heartbeatInterval: number;
  readonly gracePeriod: number;
  readonly maxRetry: number;

  private constructor(
    private readonly pool: Pool,
    options: PostgresStorageOptions,
  ) {
    this.heartbeatInterval = options.heartbeatInterval ?? 5;
    this.gracePeriod = options.gracePeriod ?? 3 * this.heartbeatInterval;
    this.maxRetry = options.maxRetry ?? 0;
  }

  /** Connects (pg is loaded only here) and creates the tables if needed. */
  static async connect(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const pg = loadPg(url);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    try {
      await pool.query(SCHEMA);
    } catch (error) {
      await pool.end();
      throw new TunerError(`storage ${url.replace(/:[^:@/]*@/, ':***@')}: cannot connect (${(error as Error).message})`);
    }
    return new PostgresStorage(pool, options);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async createStudy(name: string, directions: StudyDirection[]): Promise<number> {
    try {
      const r = await this.pool.query('INSERT INTO fmnist_studies (study_name, directions) VALUES ($1, $2) RETURNING study_id', [name, directions]);
      return r.rows[0].study_id as number;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new TunerError(`a study named '${name}' already exists (use loadIfExists)`);
      throw error;
    }
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.pool.query('DELETE FROM fmnist_studies WHERE study_id = $1', [studyId]);
  }

  async getStudyIdFromName(name: string): Promise<number | undefined> {
    const r = await this.pool.query('SELECT study_id FROM fmnist_studies WHERE study_name = $1', [name]);
    return r.rows[0]?.study_id;
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const r = await this.pool.query('SELECT * FROM fmnist_studies ORDER BY study_id');
    return r.rows.map((s) => ({
      studyId: s.study_id,
      studyName: s.study_name,
      directions: s.directions,
      userAttrs: s.user_attrs,
      systemAttrs: s.system_attrs,
    }));
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.pool.query('UPDATE fmnist_studies SET user_attrs = user_attrs || $2 WHERE study_id = $1', [studyId, JSON.stringify({ [key]: value })]);
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.pool.query('UPDATE fmnist_studies SET system_attrs = system_attrs || $2 WHERE study_id = $1', [studyId, JSON.stringify({ [key]: value })]);
  }

  /**
   * Fails running trials whose worker stopped sending heartbeats; re-enqueues them if asked. Each
   * trial is judged by the grace period of the worker that runs it (stored with the trial), not
   * by the asking worker's.
   */
  async failStaleTrials(studyId: number): Promise<FrozenTrial[]> {
    const failed = await this.pool.query(
      `UPDATE fmnist_trials SET state = $2, datetime_complete = $4 WHERE study_id = $1 AND state = $3
       AND heartbeat < now() - make_interval(secs => coalesce(grace_period, $5)) RETURNING *`,
      [studyId, trialStateToOptuna(TrialState.FAIL), trialStateToOptuna(TrialState.RUNNING), pythonNow(), this.gracePeriod],
    );
    const trials = (failed.rows as TrialRow[]).map(toFrozen);
    for (const t of trials) {
      const retries = Number(t.systemAttrs.retry_count ?? 0);
      if (retries >= this.maxRetry) continue;
      // Optuna's RetryFailedTrialCallback: the same parameters, enqueued for the next worker.
      await this.createTrial(studyId, { state: TrialState.WAITING, systemAttrs: { fixed_params: t.params, retry_count: retries + 1, retried_from: t.number } });
    }
    return trials;
  }

  async createTrial(studyId: number, template?: TrialTemplate, options: { maxTrials?: number } = {}): Promise<FrozenTrial | undefined> {
    if (!template) await this.failStaleTrials(studyId);
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(4242, $1)', [studyId]);
      if (options.maxTrials !== undefined) {
        const n = await c.query('SELECT count(*)::int AS n FROM fmnist_trials WHERE study_id = $1 AND state <> $2', [
          studyId,
          trialStateToOptuna(TrialState.WAITING),
        ]);
        if (n.rows[0].n >= options.maxTrials) return undefined;
      }
      const next = await c.query('SELECT coalesce(max(number) + 1, 0)::int AS n FROM fmnist_trials WHERE study_id = $1', [studyId]);
      const state = template?.state ?? TrialState.RUNNING;
      const vals = template?.values ?? (template?.value !== undefined && template.value !== null ? [template.value] : null);
      const r = await c.query(
        `INSERT INTO fmnist_trials (study_id, number, state, vals, params, distributions, user_attrs, system_attrs, intermediate, datetime_start, datetime_complete, heartbeat, grace_period)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12) RETURNING *`,
        [
          studyId,
          next.rows[0].n,
          trialStateToOptuna(state),
          encodeValues(vals),
          JSON.stringify(template?.params ?? {}),
          JSON.stringify(Object.fromEntries(Object.entries(template?.distributions ?? {}).map(([k, d]) => [k, distributionToJson(d)]))),
          JSON.stringify(template?.userAttrs ?? {}),
          JSON.stringify(template?.systemAttrs ?? {}),
          encodeIntermediate(template?.intermediateValues ?? {}),
          state === TrialState.WAITING ? null : pythonNow(),
          isFinished(state) ? pythonNow() : null,
          this.gracePeriod,
        ],
      );
      return toFrozen(r.rows[0] as TrialRow);
    });
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    await this.failStaleTrials(studyId);
    const r = await this.pool.query(
      `UPDATE fmnist_trials SET state = $2, datetime_start = $4, heartbeat = now(), grace_period = $5 WHERE trial_id = (
         SELECT trial_id FROM fmnist_trials WHERE study_id = $1 AND state = $3 ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED
       ) RETURNING *`,
      [studyId, trialStateToOptuna(TrialState.RUNNING), trialStateToOptuna(TrialState.WAITING), pythonNow(), this.gracePeriod],
    );
    return r.rows[0] ? toFrozen(r.rows[0] as TrialRow) : undefined;
  }

  /** Runs `sql` on a trial that is not finished yet, or says why not. */
  private async updateRunning(trialId: number, sql: string, args: unknown[]): Promise<void> {
    const r = await this.pool.query(
      `UPDATE fmnist_trials SET ${sql} WHERE trial_id = $1 AND state IN (${trialStateToOptuna(TrialState.RUNNING)}, ${trialStateToOptuna(TrialState.WAITING)})`,
      [trialId, ...args],
    );
    if (r.rowCount === 0) {
      const t = await this.pool.query('SELECT number, state FROM fmnist_trials WHERE trial_id = $1', [trialId]);
      if (!t.rows[0]) throw new TunerError(`trial ${trialId} not found`);
      throw new TunerError(`trial #${t.rows[0].number} has already finished (${trialStateFromOptuna(t.rows[0].state)}) and can not be updated`);
    }
  }

  async setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void> {
    await this.updateRunning(trialId, 'params = params || $2, distributions = distributions || $3', [
      JSON.stringify({ [name]: internal }),
      JSON.stringify({ [name]: distributionToJson(distribution) }),
    ]);
  }

  async setTrialStateValues(trialId: number, state: TrialState, values: number[] | null = null): Promise<boolean> {
    this.stopHeartbeat(trialId);
    await this.updateRunning(trialId, 'state = $2, vals = coalesce($3, vals), datetime_complete = $4', [
      trialStateToOptuna(state),
      encodeValues(values),
      isFinished(state) ? pythonNow() : null,
    ]);
    return true;
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.updateRunning(trialId, 'intermediate = intermediate || $2, heartbeat = now()', [encodeIntermediate({ [step]: value })]);
  }

  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.updateRunning(trialId, 'user_attrs = user_attrs || $2', [JSON.stringify({ [key]: value })]);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.updateRunning(trialId, 'system_attrs = system_attrs || $2', [JSON.stringify({ [key]: value })]);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const r = await this.pool.query('SELECT * FROM fmnist_trials WHERE trial_id = $1', [trialId]);
    if (!r.rows[0]) throw new TunerError(`trial ${trialId} not found`);
    return toFrozen(r.rows[0] as TrialRow);
  }

  async getAllTrials(studyId: number): Promise<FrozenTrial[]> {
    const r = await this.pool.query('SELECT * FROM fmnist_trials WHERE study_id = $1 ORDER BY number', [studyId]);
    return (r.rows as TrialRow[]).map(toFrozen);
  }

  /** Keeps a running trial alive; the study calls it when a trial starts. */
  startHeartbeat(trialId: number): void {
    const beat = () => void this.pool.query('UPDATE fmnist_trials SET heartbeat = now() WHERE trial_id = $1', [trialId]).catch(() => {});
    this.heartbeats.set(trialId, setInterval(beat, this.heartbeatInterval * 1000).unref());
  }

  stopHeartbeat(trialId: number): void {
    clearInterval(this.heartbeats.get(trialId));
    this.heartbeats.delete(trialId);
  }

  async close(): Promise<void> {
    for (const id of this.heartbeats.keys()) this.stopHeartbeat(id);
    await this.pool.end();
  }
}
