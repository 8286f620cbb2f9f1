import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, lutimesSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, loadStudy } from '../create-study';
import { MedianPruner } from '../pruners/percentile-pruner';
import { NopPruner } from '../pruners/pruner';
import { RandomSampler } from '../samplers/random-sampler';
import { runWorkers } from '../run-workers';
import { TrialWorkerError } from '../trial-worker-error';
import { TrialPruned } from '../trial-pruned';
import { TrialState } from '../trial-state';
import { FileJournalBackend } from './file-journal-backend';
import { SymlinkLock } from './file-lock';
import { JournalFileStorage } from './journal-file-storage';
import { InMemoryStorage } from './journal-storage';
import { parsePythonJson } from './python-json';
import { PYTHON, pythonHas } from '../../../core/src/test-utils/python';

const quiet = () => {};
const here = dirname(fileURLToPath(import.meta.url));
const journal = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'study.log');

async function sampleStudy(path: string) {
  const study = await createStudy({
    studyName: 'demo',
    direction: 'maximize',
    storage: `journal:${path}`,
    sampler: new RandomSampler({ seed: 7 }),
    pruner: new NopPruner(),
    logger: quiet,
  });
  let n = 0;
  await study.optimize(
    (trial) => {
      const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
      const layers = trial.suggestInt('layers', 1, 3);
      const opt = trial.suggestCategorical('optimizer', ['adam', 'sgd']);
      trial.setUserAttr('note', `t${n}`);
      for (let step = 0; step < 3; step++) trial.report(lr * (step + 1), step);
      n++;
      if (n === 2) throw new TrialPruned();
      if (n === 3) return Number.NaN;
      return Math.log10(lr) + layers + (opt === 'adam' ? 1 : 0);
    },
    { nTrials: 6 },
  );
  return study;
}

/** Trials with NaN and ±Infinity where Optuna keeps them: intermediate values, objective values, a pruned trial's value. */
async function nonFiniteStudy(storage: string | InMemoryStorage) {
  const study = await createStudy({ studyName: 'nan', direction: 'minimize', storage, pruner: new NopPruner(), logger: quiet });
  const curves = [[Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], [1, Number.NaN], [2, Number.POSITIVE_INFINITY], [3, 4], [5]];
  const results = [Number.POSITIVE_INFINITY, 'prune', 'prune', Number.NaN, Number.NEGATIVE_INFINITY] as const;
  let n = 0;
  await study.optimize(
    (trial) => {
      const i = n++;
      curves[i].forEach((v, step) => trial.report(v, step));
      const r = results[i];
      if (r === 'prune') throw new TrialPruned();
      return r;
    },
    { nTrials: curves.length },
  );
  return study;
}

describe('NaN and ±Infinity in the journal (as Optuna keeps them)', () => {
  it("survive a reload: intermediate values, objective values and a pruned trial's last value", async () => {
    const path = journal();
    const study = await nonFiniteStudy(`journal:${path}`);
    const t = study.trials;
    // Optuna: an infinite objective completes the trial, NaN fails it; a pruned trial takes its last value unless NaN.
    expect(t.map((x) => x.state)).toEqual(['COMPLETE', 'PRUNED', 'PRUNED', 'FAIL', 'COMPLETE']);
    expect(t.map((x) => x.value)).toEqual([Number.POSITIVE_INFINITY, null, Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY]);
    expect(t[0].intermediateValues).toEqual({ 0: Number.NaN, 1: Number.POSITIVE_INFINITY, 2: Number.NEGATIVE_INFINITY });
    expect(t[1].intermediateValues[1]).toBeNaN();
    expect(study.bestValue).toBe(Number.NEGATIVE_INFINITY);
    const reloaded = await loadStudy({ studyName: 'nan', storage: new JournalFileStorage(path) });
    expect(reloaded.trials).toEqual(study.trials);
    expect(reloaded.trials[0].intermediateValues[0]).toBeNaN();
    // Written as Python's json.dumps writes them: bare NaN, Infinity, -Infinity (never null).
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/"intermediate_value":NaN\b/);
    expect(text).toMatch(/"intermediate_value":Infinity\b/);
    expect(text).toMatch(/"intermediate_value":-Infinity\b/);
    expect(text).toMatch(/"values":\[Infinity\]/);
    expect(text).not.toMatch(/"intermediate_value":null/);
  });

  it('are kept in memory too (InMemoryStorage)', async () => {
    const study = await nonFiniteStudy(new InMemoryStorage());
    await study.refresh();
    expect(study.trials[0].intermediateValues).toEqual({ 0: Number.NaN, 1: Number.POSITIVE_INFINITY, 2: Number.NEGATIVE_INFINITY });
    expect(study.trials.map((x) => x.value)).toEqual([Number.POSITIVE_INFINITY, null, Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY]);
  });

  it("are left out of a MedianPruner's median, as Optuna does (not counted as 0)", async () => {
    for (const storage of [`journal:${journal()}`, new InMemoryStorage()]) {
      const study = await createStudy({ studyName: 'median', direction: 'minimize', storage, pruner: new MedianPruner({ nStartupTrials: 1 }), logger: quiet });
      // Finished trials reported NaN, NaN, NaN, 1, 1 at step 0: Optuna's median (np.nanpercentile) is 1.
      const reported = [Number.NaN, Number.NaN, Number.NaN, 1, 1];
      let n = 0;
      await study.optimize(
        (trial) => {
          trial.report(reported[n++], 0);
          return 1;
        },
        { nTrials: reported.length },
      );
      const trial = (await study.ask()) as NonNullable<Awaited<ReturnType<typeof study.ask>>>;
      trial.report(0.5, 0);
      await trial.flush();
      await study.refresh();
      expect(trial.shouldPrune()).toBe(false);
    }
  });

  it('a line of Python-written NaN does not make the study unreadable', () => {
    const path = journal();
    writeFileSync(path, '{"op_code": 7, "worker_id": "w", "trial_id": 0, "step": 1, "intermediate_value": NaN}\n{"a": [Infinity, -Infinity, "NaN"]}\n');
    const logs = new FileJournalBackend(path).readLogs(0);
    expect(logs[0].intermediate_value).toBeNaN();
    expect(logs[1]).toEqual({ a: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN'] });
  });
});

describe('JournalFileStorage', () => {
  it('survives a reload: the same trials, params, states and intermediate values', async () => {
    const path = journal();
    const study = await sampleStudy(path);
    const reloaded = await loadStudy({ studyName: 'demo', storage: new JournalFileStorage(path) });
    expect(reloaded.trials).toEqual(study.trials);
    expect(reloaded.bestValue).toBe(study.bestValue);
    expect(reloaded.trials.map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    // The file keeps Optuna's numbers (TrialState.COMPLETE is 1 in Python), whatever the states read as here.
    const states = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { state?: unknown })
      .filter((l) => l.state !== undefined)
      .map((l) => l.state);
    expect(states).toEqual([1, 2, 3, 1, 1, 1]);
  });

  it('ignores a torn last line from a crashed writer, and cuts it before appending', async () => {
    const path = journal();
    await sampleStudy(path);
    appendFileSync(path, '{"op_code": 4, "worker_id": "dead", "study_id": 0, "datetime_st');
    const study = await loadStudy({ studyName: 'demo', storage: new JournalFileStorage(path), sampler: new RandomSampler({ seed: 1 }), logger: quiet });
    expect(study.trials).toHaveLength(6);
    await study.optimize((t) => t.suggestFloat('lr', 1e-4, 1e-1, { log: true }), { nTrials: 1 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.every((l) => JSON.parse(l))).toBeTruthy();
    expect((await loadStudy({ studyName: 'demo', storage: new JournalFileStorage(path) })).trials).toHaveLength(7);
  });

  it('cuts a torn last line longer than 64 KiB before appending', async () => {
    const path = journal();
    await sampleStudy(path);
    appendFileSync(path, `{"op_code": 4, "worker_id": "dead", "note": "${'x'.repeat(200_000)}`);
    const study = await loadStudy({ studyName: 'demo', storage: new JournalFileStorage(path), sampler: new RandomSampler({ seed: 1 }), logger: quiet });
    await study.optimize((t) => t.suggestFloat('lr', 1e-4, 1e-1, { log: true }), { nTrials: 1 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.every((l) => JSON.parse(l))).toBeTruthy();
    expect((await loadStudy({ studyName: 'demo', storage: new JournalFileStorage(path) })).trials).toHaveLength(7);
  });

  it('takes no line of a read that fails, so a retry does not add them twice', () => {
    const path = journal();
    writeFileSync(path, '{"a":1}\n{"a":2}\n');
    const backend = new FileJournalBackend(path);
    expect(backend.readLogs(0)).toHaveLength(2);
    appendFileSync(path, '{"a":3}\n{"a":4,\n');
    expect(() => backend.readLogs(0)).toThrow(/line 4 is not valid JSON/);
    expect(() => backend.readLogs(0)).toThrow(/line 4 is not valid JSON/);
    // The bad line mended in place (same length): every line once.
    writeFileSync(path, '{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n');
    expect(backend.readLogs(0)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
  });

  it("breaks a dead holder's stale lock without evicting the holder who took it next", async () => {
    const path = journal();
    writeFileSync(path, '');
    symlinkSync(path, `${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    lutimesSync(`${path}.lock`, old, old);
    // Workers A and B both see the dead holder's lock...
    const seenByB = lstatSync(`${path}.lock`);
    const a = new SymlinkLock(path, 1000);
    a.breakIfStale();
    // ...A breaks it, C takes the free lock, and only then does B act on what it saw.
    const c = new SymlinkLock(path, 1000);
    await c.acquire();
    const held = lstatSync(`${path}.lock`).ino;
    new SymlinkLock(path, 1000).breakIfStale(seenByB);
    expect(lstatSync(`${path}.lock`).ino).toBe(held);
    c.release();
    expect(lstatSync(`${path}.lock`, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('reports a crashed worker process as a TrialWorkerError (a failure, not bad input)', async () => {
    const path = journal();
    await createStudy({ studyName: 'crash', storage: `journal:${path}`, logger: quiet });
    const run = runWorkers({
      module: join(here, '..', 'test-utils', 'crashing-worker.ts'),
      studyName: 'crash',
      storage: `journal:${path}`,
      nTrials: 2,
      nJobs: 2,
      onLine: quiet,
    });
    await expect(run).rejects.toBeInstanceOf(TrialWorkerError);
    await expect(run).rejects.toThrow(/worker \d exited with code 3: .*about to crash/);
  }, 60_000);

  it('lets several processes share one journal: nothing lost, nothing duplicated, exactly nTrials', async () => {
    const path = journal();
    await createStudy({ studyName: 'par', storage: `journal:${path}`, logger: quiet });
    await runWorkers({
      module: join(here, '..', 'test-utils', 'quadratic-worker.ts'),
      studyName: 'par',
      storage: `journal:${path}`,
      nTrials: 16,
      nJobs: 3,
      onLine: quiet,
    });
    const study = await loadStudy({ studyName: 'par', storage: `journal:${path}` });
    expect(study.trials).toHaveLength(16);
    expect(study.trials.map((t) => t.number)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(study.trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(study.trials.every((t) => Object.keys(t.intermediateValues).length === 3)).toBe(true);
    const workers = new Set(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).worker_id),
    );
    // At least two processes wrote; a third that starts after the others took every trial may write nothing.
    expect(workers.size).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

const python = PYTHON;
const hasOptuna = pythonHas('optuna');

// CI installs Debian's python3-optuna; there the test must run (no silent skip).
describe.runIf(hasOptuna || process.env.CI)("Optuna's own JournalStorage reads our journal", () => {
  it('sees the same best value, params, states, user attrs and intermediate values', async () => {
    const path = journal();
    const study = await sampleStudy(path);
    const script = `
import json, sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
s = optuna.load_study(study_name="demo", storage=storage)
print(json.dumps({
  "best_value": s.best_value, "best_params": s.best_params, "direction": s.direction.name,
  "trials": [{"number": t.number, "state": t.state.name, "value": t.value, "params": t.params,
              "intermediate": {str(k): v for k, v in t.intermediate_values.items()}, "user_attrs": t.user_attrs} for t in s.trials]
}))`;
    const out = JSON.parse(execFileSync(python, ['-c', script, path], { encoding: 'utf8' }));
    expect(out.direction).toBe('MAXIMIZE');
    expect(out.best_value).toBe(study.bestValue);
    expect(out.best_params).toEqual(study.bestParams);
    expect(out.trials.map((t: { state: string }) => t.state)).toEqual(study.trials.map((t) => t.state));
    out.trials.forEach((t: { params: object; value: number | null; intermediate: Record<string, number>; user_attrs: object }, i: number) => {
      expect(t.params).toEqual(study.trials[i].params);
      expect(t.value).toEqual(study.trials[i].value);
      expect(Object.fromEntries(Object.entries(t.intermediate).map(([k, v]) => [Number(k), v]))).toEqual(study.trials[i].intermediateValues);
      expect(t.user_attrs).toEqual(study.trials[i].userAttrs);
    });
  });

  it('and we read a study Python wrote, then continue it', async () => {
    const path = journal();
    const script = `
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
s = optuna.create_study(study_name="py", storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
def obj(t):
    x = t.suggest_float("x", -3, 3)
    k = t.suggest_categorical("k", ["a", "b"])
    n = t.suggest_int("n", 1, 4)
    t.report(x, 0)
    return x * x + n
s.optimize(obj, n_trials=5)
print(s.best_value)`;
    const best = Number(execFileSync(python, ['-c', script, path], { encoding: 'utf8' }).trim());
    expect(existsSync(path)).toBe(true);
    const study = await loadStudy({ studyName: 'py', storage: `journal:${path}`, logger: quiet });
    expect(study.trials).toHaveLength(5);
    expect(study.bestValue).toBeCloseTo(best, 12);
    await study.optimize((t) => t.suggestFloat('x', -3, 3) ** 2 + t.suggestInt('n', 1, 4), { nTrials: 2 });
    const again = Number(
      execFileSync(
        python,
        [
          '-c',
          'import sys, optuna; optuna.logging.set_verbosity(optuna.logging.WARNING); print(len(optuna.load_study(study_name="py", storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))).trials))',
          path,
        ],
        { encoding: 'utf8' },
      ).trim(),
    );
    expect(again).toBe(7);
  });

  it('reads our NaN and ±Infinity as Python floats (NaN intact), with the same states and values', async () => {
    const path = journal();
    const study = await nonFiniteStudy(`journal:${path}`);
    const script = `
import json, sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.load_study(study_name="nan", storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1])))
print(json.dumps({"best_value": s.best_value, "trials": [
  {"state": t.state.name, "value": t.value, "intermediate": {str(k): v for k, v in t.intermediate_values.items()}} for t in s.trials]}))`;
    // Python prints NaN and ±Infinity bare, as in the journal.
    const out = parsePythonJson(execFileSync(python, ['-c', script, path], { encoding: 'utf8' })) as {
      best_value: number;
      trials: { state: string; value: number | null; intermediate: Record<string, number> }[];
    };
    expect(out.best_value).toBe(Number.NEGATIVE_INFINITY);
    expect(out.trials.map((t) => t.state)).toEqual(study.trials.map((t) => t.state));
    expect(out.trials.map((t) => t.value)).toEqual(study.trials.map((t) => t.value));
    out.trials.forEach((t, i) => {
      expect(Object.fromEntries(Object.entries(t.intermediate).map(([k, v]) => [Number(k), v]))).toEqual(study.trials[i].intermediateValues);
    });
    expect(out.trials[0].intermediate['0']).toBeNaN();
  });

  it('and we read a journal in which Python wrote NaN and ±Infinity', async () => {
    const path = journal();
    const script = `
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
s = optuna.create_study(study_name="pynan", storage=storage)
def obj(t):
    t.report(float("nan"), 0)
    t.report(float("inf"), 1)
    t.report(float("-inf"), 2)
    return [float("inf"), float("nan"), 1.5][t.number]
s.optimize(obj, n_trials=3)
print([t.state.name for t in s.trials])`;
    const states = execFileSync(python, ['-c', script, path], { encoding: 'utf8' }).trim();
    expect(states).toBe("['COMPLETE', 'FAIL', 'COMPLETE']");
    expect(readFileSync(path, 'utf8')).toMatch(/"intermediate_value": NaN/);
    const study = await loadStudy({ studyName: 'pynan', storage: `journal:${path}`, logger: quiet });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE']);
    expect(study.trials.map((t) => t.value)).toEqual([Number.POSITIVE_INFINITY, null, 1.5]);
    for (const t of study.trials) expect(t.intermediateValues).toEqual({ 0: Number.NaN, 1: Number.POSITIVE_INFINITY, 2: Number.NEGATIVE_INFINITY });
    expect(study.bestValue).toBe(1.5);
  });
});
