import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, loadStudy } from '../create-study';
import { runWorkers } from '../run-workers';
import { TrialState } from '../trial-state';
import { loadPg, PostgresStorage } from './postgres-storage';

const URL_ = process.env.FMNIST_PG_URL ?? 'postgres://fmnist:fmnist@127.0.0.1:5432/fmnist';
const here = dirname(fileURLToPath(import.meta.url));
const quiet = () => {};
const unique = (p: string) => `${p}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

const available = await PostgresStorage.connect(URL_)
  .then(async (s) => {
    await s.close();
    return true;
  })
  .catch((error: Error) => {
    // Said out loud: CI must have a server (scripts/postgres-up.sh); elsewhere these tests skip.
    console.warn(`PostgreSQL storage tests: no server at ${URL_} (${error.message})`);
    return false;
  });

describe('pg, an optional peer', () => {
  it('is named in one line when it is not installed, with the password hidden', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'pg'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadPg('postgres://u:secret@h/db', missing)).toThrow(
      /^storage postgres:\/\/u:\*\*\*@h\/db: PostgreSQL storage needs the optional package pg \(npm i pg\)$/,
    );
  });
});

// The server and the pg driver do not depend on Node's version: not rerun on the Node legs.
describe.runIf((available || process.env.CI) && !process.env.FMNIST_NODE_LEG)('PostgresStorage (a real PostgreSQL server)', () => {
  it('stores studies and trials like the journal does', async () => {
    const storage = await PostgresStorage.connect(URL_);
    const name = unique('basic');
    const study = await createStudy({ studyName: name, storage, direction: 'maximize', logger: quiet });
    await study.enqueueTrial({ x: 0.25 });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        t.report(x / 2, 0);
        t.setUserAttr('note', 'hi');
        return x + (t.suggestCategorical('k', ['a', 'b']) === 'a' ? 1 : 0);
      },
      { nTrials: 5 },
    );
    const again = await loadStudy({ studyName: name, storage });
    expect(again.trials).toHaveLength(5);
    expect(again.trials[0].params.x).toBe(0.25);
    expect(again.trials.every((t) => t.state === TrialState.COMPLETE && t.userAttrs.note === 'hi')).toBe(true);
    expect(again.bestValue).toBe(Math.max(...again.trials.map((t) => t.value as number)));
    await expect(createStudy({ studyName: name, storage })).rejects.toThrow(/already exists/);
    await storage.close();
  });

  it('keeps NaN and ±Infinity in intermediate and objective values, as the journal does', async () => {
    const storage = await PostgresStorage.connect(URL_);
    const name = unique('nan');
    const study = await createStudy({ studyName: name, storage, direction: 'minimize', logger: quiet });
    const results = [Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY];
    let n = 0;
    await study.optimize(
      (t) => {
        t.report(Number.NaN, 0);
        t.report(Number.POSITIVE_INFINITY, 1);
        t.report(Number.NEGATIVE_INFINITY, 2);
        return results[n++];
      },
      { nTrials: 3 },
    );
    await study.enqueueTrial({});
    await storage.createTrial(study.studyId, { state: TrialState.COMPLETE, value: Number.POSITIVE_INFINITY, intermediateValues: { 0: Number.NaN } });
    const again = await loadStudy({ studyName: name, storage });
    expect(again.trials.slice(0, 3).map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE']);
    expect(again.trials.slice(0, 3).map((t) => t.value)).toEqual([Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY]);
    for (const t of again.trials.slice(0, 3)) expect(t.intermediateValues).toEqual({ 0: Number.NaN, 1: Number.POSITIVE_INFINITY, 2: Number.NEGATIVE_INFINITY });
    expect(again.trials[4].value).toBe(Number.POSITIVE_INFINITY);
    expect(again.trials[4].intermediateValues[0]).toBeNaN();
    expect(again.bestValue).toBe(Number.NEGATIVE_INFINITY);
    await storage.close();
  });

  it('lets workers in several processes share a study: exactly nTrials, numbered 0..n-1, none twice', async () => {
    const name = unique('workers');
    const storage = await PostgresStorage.connect(URL_);
    await createStudy({ studyName: name, storage, logger: quiet });
    for (let i = 0; i < 4; i++) {
      const s = await loadStudy({ studyName: name, storage });
      await s.enqueueTrial({ x: i / 10, y: i });
    }
    await runWorkers({ module: join(here, '..', 'test-utils', 'quadratic-worker.ts'), studyName: name, storage: URL_, nTrials: 12, nJobs: 3, onLine: quiet });
    const study = await loadStudy({ studyName: name, storage });
    expect(study.trials.map((t) => t.number)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(study.trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    // The four enqueued trials ran once each.
    expect(
      study.trials
        .filter((t) => t.systemAttrs.fixed_params)
        .map((t) => t.params.y)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    await storage.close();
  }, 60_000);

  /** Starts the pg-sleeper child and resolves once its trial runs; `done` resolves when it exits. */
  const startSleeper = async (name: string, mode: string, options: object) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@fmnist/source', '--import', 'tsx', join(here, '..', 'test-utils', 'pg-sleeper.ts'), URL_, name, mode, JSON.stringify(options)],
      { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('running')) resolve();
      });
      void done.then((code) => reject(new Error(`worker exited early (${code})`)));
    });
    return { child, done };
  };

  it('keeps a live trial that runs longer than the grace period: its heartbeats keep it fresh', async () => {
    const name = unique('live');
    const { done } = await startSleeper(name, 'slow:4500', { heartbeatInterval: 0.2, gracePeriod: 2 });
    // Another worker with the same grace period looks for stale trials while it runs.
    const storage = await PostgresStorage.connect(URL_, { gracePeriod: 2 });
    const study = await loadStudy({ studyName: name, storage, logger: quiet });
    const failed: number[] = [];
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      failed.push(...(await storage.failStaleTrials(study.studyId)).map((t) => t.number));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await done).toBe(0);
    expect(failed).toEqual([]);
    await study.refresh();
    expect(study.trials[0].state).toBe(TrialState.COMPLETE);
    await storage.close();
  }, 60_000);

  it("judges a trial by its own worker's grace period, not by the asking worker's", async () => {
    const name = unique('grace');
    // Heartbeats every 5 s, grace 30 s: a 2 s old heartbeat is fresh for this worker.
    const { child } = await startSleeper(name, 'hang', { heartbeatInterval: 5, gracePeriod: 30 });
    await new Promise((r) => setTimeout(r, 2000));
    const impatient = await PostgresStorage.connect(URL_, { gracePeriod: 1 });
    const study = await loadStudy({ studyName: name, storage: impatient, logger: quiet });
    expect(await impatient.failStaleTrials(study.studyId)).toEqual([]);
    child.kill('SIGKILL');
    await impatient.close();
  }, 60_000);

  it('detects a worker killed mid-trial by its missing heartbeat, fails the trial and retries its parameters', async () => {
    const name = unique('killed');
    const { child } = await startSleeper(name, 'hang', { heartbeatInterval: 0.2, gracePeriod: 1 });
    child.kill('SIGKILL');
    const storage = await PostgresStorage.connect(URL_, { gracePeriod: 1, maxRetry: 1 });
    await new Promise((r) => setTimeout(r, 1600));
    const study = await loadStudy({ studyName: name, storage, logger: quiet });
    const dead = study.trials[0];
    expect(dead.state).toBe(TrialState.RUNNING);
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('k', ['a', 'b']) === 'a' ? 0 : 1), { nTrials: 1 });
    await study.refresh();
    expect(study.trials[0].state).toBe(TrialState.FAIL);
    expect(study.trials[0].intermediateValues).toEqual({ 0: 0.5 });
    expect(study.trials[1].state).toBe(TrialState.COMPLETE);
    expect(study.trials[1].params).toEqual(dead.params);
    expect(study.trials[1].systemAttrs.retried_from).toBe(0);
    await storage.close();
  }, 60_000);
});
