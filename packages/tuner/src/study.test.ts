import { describe, expect, it } from 'vitest';
import { createStudy, loadStudy } from './create-study';
import { distributionToJson, floatDistribution, intDistribution, categoricalDistribution } from './distributions';
import { getParamImportances } from './importance';
import { plotData } from './plot-data';
import { RandomSampler } from './samplers/random-sampler';
import { TPESampler } from './samplers/tpe-sampler';
import { GridSampler } from './samplers/grid-sampler';
import { QMCSampler } from './samplers/qmc-sampler';
import { InMemoryStorage } from './storage/journal-storage';
import { TrialPruned } from './trial-pruned';
import { TrialState, trialStateFromOptuna, trialStateToOptuna } from './trial-state';
import type { Trial } from './trial';
import type { OptimizeOptions } from './study';
import { NopPruner } from './pruners/pruner';

const quiet = () => {};

describe('distributions', () => {
  it('serialise exactly as Optuna does', () => {
    expect(JSON.parse(distributionToJson(floatDistribution('lr', 1e-5, 1e-1, { log: true })))).toEqual({
      name: 'FloatDistribution',
      attributes: { step: null, low: 1e-5, high: 1e-1, log: true },
    });
    expect(JSON.parse(distributionToJson(intDistribution('n', 1, 9, { step: 2 })))).toEqual({
      name: 'IntDistribution',
      attributes: { log: false, step: 2, low: 1, high: 9 },
    });
    expect(JSON.parse(distributionToJson(categoricalDistribution('opt', ['adam', 'sgd'])))).toEqual({
      name: 'CategoricalDistribution',
      attributes: { choices: ['adam', 'sgd'] },
    });
  });

  it('reject bad ranges with the parameter name', () => {
    expect(() => floatDistribution('lr', 0, 1, { log: true })).toThrow(/lr: log scale needs low > 0/);
    expect(() => intDistribution('n', 5, 1)).toThrow(/n: expected integers low <= high/);
  });
});

describe('Study', () => {
  it('optimizes with define-by-run suggestions and keeps values in range', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: quiet });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -10, 10);
        const n = trial.suggestInt('n', 1, 8, { log: true });
        const q = trial.suggestFloat('q', 0, 1, { step: 0.25 });
        const c = trial.suggestCategorical('c', ['a', 'b']);
        expect(x).toBeGreaterThanOrEqual(-10);
        expect(Number.isInteger(n) && n >= 1 && n <= 8).toBe(true);
        expect([0, 0.25, 0.5, 0.75, 1]).toContain(q);
        expect(trial.suggestFloat('x', -10, 10)).toBe(x); // same name, same value
        return x * x + (c === 'a' ? 0 : 1);
      },
      { nTrials: 20 },
    );
    expect(study.trials).toHaveLength(20);
    expect(study.bestValue).toBe(Math.min(...study.trials.map((t) => t.value as number)));
    expect(Object.keys(study.bestParams).sort()).toEqual(['c', 'n', 'q', 'x']);
  });

  it('fails a trial (not the study) on NaN or a caught exception, and records pruned trials', async () => {
    const lines: string[] = [];
    const study = await createStudy({ direction: 'maximize', pruner: new NopPruner(), logger: (l) => lines.push(l) });
    let i = 0;
    await study.optimize(
      (trial) => {
        trial.suggestFloat('x', 0, 1);
        i++;
        if (i === 1) return Number.NaN;
        if (i === 2) throw new Error('boom');
        if (i === 3) {
          trial.report(0.25, 0);
          throw new TrialPruned();
        }
        return 1;
      },
      { nTrials: 4, catch: [Error] },
    );
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.FAIL, TrialState.PRUNED, TrialState.COMPLETE]);
    expect(study.trials[2].value).toBe(0.25);
    expect(lines[1]).toMatch(/^\[trial 2\/4\] Trial 1 failed with parameters: \{"x":[0-9.e-]+\} because of the following error: Error: boom\.$/);
    expect(lines[3]).toMatch(/Trial 3 finished with value: 1 .*Best is trial 3 with value: 1/);
  });

  it("propagates the objective's error as Optuna does (no catch): the trial is recorded FAIL, then optimize rejects and the study stops", async () => {
    const lines: string[] = [];
    const study = await createStudy({ logger: (l) => lines.push(l) });
    const typo = (trial: Trial): number => {
      trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
      // What `return lerning_rate * 2` does at run time.
      throw new ReferenceError('lerning_rate is not defined');
    };
    await expect(study.optimize(typo, { nTrials: 5 })).rejects.toThrow(new ReferenceError('lerning_rate is not defined'));
    await study.refresh();
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL]);
    expect(study.trials[0].params).toHaveProperty('lr');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Trial 0 failed with parameters: .* because of the following error: ReferenceError: lerning_rate is not defined\./);
  });

  it('catch: [TypeError] records the TypeError as FAIL and goes on; an error of another class still stops the study', async () => {
    const study = await createStudy({ logger: quiet });
    let n = 0;
    const objective = (trial: Trial): number => {
      const x = trial.suggestFloat('x', 0, 1);
      n++;
      if (n === 1) throw new TypeError('flaky');
      if (n === 4) throw new RangeError('bad range');
      return x;
    };
    await study.optimize(objective, { nTrials: 3, catch: [TypeError] });
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE]);
    await expect(study.optimize(objective, { nTrials: 3, catch: [TypeError] })).rejects.toThrow(RangeError);
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE, TrialState.FAIL]);
  });

  it('catch as a predicate decides per error, thrown values that are not Errors included', async () => {
    const study = await createStudy({ logger: quiet });
    let n = 0;
    await study.optimize(
      () => {
        n++;
        if (n === 1) throw 'a string';
        return n;
      },
      { nTrials: 2, catch: (error) => typeof error === 'string' },
    );
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.COMPLETE]);
    const options: OptimizeOptions = JSON.parse('{"nTrials":1,"catch":"all"}');
    await expect(study.optimize(() => 1, options)).rejects.toThrow(/catch: expected a list of error classes or a function \(error\) => boolean, got "all"/);
  });

  it('with nJobs, an uncaught error lets the running trials finish, starts no new one, then rejects', async () => {
    const study = await createStudy({ logger: quiet });
    let started = 0;
    const run = study.optimize(
      async () => {
        const i = started++;
        if (i === 0) {
          await new Promise((r) => setTimeout(r, 5));
          throw new Error('first trial broke');
        }
        await new Promise((r) => setTimeout(r, 40));
        return i;
      },
      { nTrials: 20, nJobs: 2 },
    );
    await expect(run).rejects.toThrow('first trial broke');
    await study.refresh();
    expect(started).toBe(2);
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.FAIL, TrialState.COMPLETE]);
  });

  it('runs nJobs trials at once in one process, each created once (in-memory journal)', async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), logger: quiet });
    let running = 0;
    let most = 0;
    await study.optimize(
      async (t) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return t.suggestFloat('x', 0, 1);
      },
      { nTrials: 12, nJobs: 4 },
    );
    expect(most).toBe(4);
    expect(study.trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(study.trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
  });

  it("counts this call's trials in the progress line, not the study's (a reloaded study does not read [trial 7/2])", async () => {
    const storage = new InMemoryStorage();
    const first = await createStudy({ studyName: 'again', storage, logger: quiet });
    await first.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 6 });
    const lines: string[] = [];
    const again = await createStudy({ studyName: 'again', storage, loadIfExists: true, logger: (l) => lines.push(l) });
    await again.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    expect(lines.map((l) => l.slice(0, l.indexOf(' finished')))).toEqual(['[trial 1/2] Trial 6', '[trial 2/2] Trial 7']);
  });

  it('runs enqueued trials first with their fixed parameters', async () => {
    const study = await createStudy({ logger: quiet });
    await study.enqueueTrial({ x: 0.5, kind: 'b' });
    await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('kind', ['a', 'b']) === 'b' ? 1 : 0), { nTrials: 2 });
    expect(study.trials[0].params).toEqual({ x: 0.5, kind: 'b' });
    expect(study.trials[0].value).toBe(1.5);
  });

  it('supports ask/tell and conditional search spaces', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 3, nStartupTrials: 5 }), logger: quiet });
    for (let i = 0; i < 30; i++) {
      const trial = await study.ask();
      if (!trial) throw new Error('no trial');
      const kind = trial.suggestCategorical('kind', ['linear', 'square']);
      const v = kind === 'linear' ? trial.suggestFloat('a', -1, 1) : trial.suggestFloat('b', -2, 2) ** 2;
      await study.tell(trial, v + (kind === 'linear' ? 2 : 0));
    }
    const square = study.trials.filter((t) => t.params.kind === 'square');
    expect(square.every((t) => !('a' in t.params))).toBe(true);
    expect(study.bestParams.kind).toBe('square');
  });

  it('TPE beats random search on a 4-D sphere over seeds', async () => {
    const run = async (sampler: () => RandomSampler | TPESampler) => {
      let total = 0;
      for (let seed = 0; seed < 5; seed++) {
        const study = await createStudy({ sampler: sampler(), logger: quiet });
        const s = sampler();
        void s;
        await study.optimize((t) => [0, 1, 2, 3].reduce((a, i) => a + (t.suggestFloat(`x${i}`, -5, 5) - 1) ** 2, 0), { nTrials: 60 });
        total += study.bestValue;
      }
      return total / 5;
    };
    let seed = 0;
    const tpe = await run(() => new TPESampler({ seed: seed++ }));
    const random = await run(() => new RandomSampler({ seed: seed++ }));
    expect(tpe).toBeLessThan(random * 0.6);
  });

  it('grid search covers the grid exactly once, then stops', async () => {
    const study = await createStudy({ sampler: new GridSampler({ a: [1, 2, 3], b: ['x', 'y'] }, { seed: 1 }), logger: quiet });
    await study.optimize((t) => t.suggestInt('a', 1, 3) + (t.suggestCategorical('b', ['x', 'y']) === 'x' ? 0 : 10), { nTrials: 50 });
    expect(study.trials).toHaveLength(6);
    expect(new Set(study.trials.map((t) => `${t.params.a}${t.params.b}`)).size).toBe(6);
  });

  it('QMC covers [0, 1) evenly', async () => {
    const study = await createStudy({ sampler: new QMCSampler({ seed: 2 }), logger: quiet });
    await study.optimize((t) => t.suggestFloat('u', 0, 1), { nTrials: 16 });
    const bins = new Array(4).fill(0);
    for (const t of study.trials) bins[Math.min(3, Math.floor((t.params.u as number) * 4))]++;
    expect(bins).toEqual([4, 4, 4, 4]);
  });

  it('refuses a duplicate study name unless loadIfExists, and exports CSV/JSON', async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({ studyName: 's', storage, logger: quiet });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    await expect(createStudy({ studyName: 's', storage })).rejects.toThrow(/a study named 's' already exists/);
    const again = await createStudy({ studyName: 's', storage, loadIfExists: true, logger: quiet });
    expect(again.trials).toHaveLength(3);
    expect((await loadStudy({ studyName: 's', storage })).trials).toHaveLength(3);
    await expect(loadStudy({ studyName: 'nope', storage })).rejects.toThrow(/no study named 'nope' in this storage \(studies: s\)/);
    const csv = study.toCSV().split('\n');
    expect(csv[0]).toBe('number,state,value,datetime_start,datetime_complete,duration_seconds,params_x');
    expect(csv).toHaveLength(4);
    expect((study.toJSON().trials as unknown[]).length).toBe(3);
  });
});

describe('non-finite objective values (as Optuna takes them)', () => {
  it('an infinite value completes the trial, NaN fails it; CSV writes inf as pandas does', async () => {
    const study = await createStudy({ storage: new InMemoryStorage(), logger: quiet });
    const results = [Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY, 1];
    let n = 0;
    await study.optimize(() => results[n++], { nTrials: results.length });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(study.bestValue).toBe(Number.NEGATIVE_INFINITY);
    expect(
      study
        .toCSV()
        .split('\n')
        .map((line) => line.split(',')[2]),
    ).toEqual(['value', 'inf', '', '-inf', '1']);
  });
});

describe('importance and plot data', () => {
  it('ranks the parameter that drives the objective first', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }), logger: quiet });
    await study.optimize(
      (t) => 10 * t.suggestFloat('big', 0, 1) + 0.1 * t.suggestFloat('small', 0, 1) + (t.suggestCategorical('c', ['a', 'b']) === 'a' ? 0 : 0.01),
      { nTrials: 80 },
    );
    const imp = getParamImportances(study.trials);
    expect(Object.keys(imp)[0]).toBe('big');
    expect(imp.big).toBeGreaterThan(0.8);
    expect(Object.values(imp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const data = plotData(study.trials, 'minimize');
    expect(data.history).toHaveLength(80);
    expect(data.history.at(-1)?.best).toBe(study.bestValue);
    expect(data.parallelCoordinates.params).toEqual(['big', 'c', 'small']);
  });
});

describe('TrialState', () => {
  it('reads as its name wherever users see it: String(), template strings, JSON, the CSV', async () => {
    const study = await createStudy({ logger: quiet });
    await study.optimize(() => Number.NaN, { nTrials: 1 });
    const [trial] = study.trials;
    expect(String(trial.state)).toBe('FAIL');
    expect(`${trial.state}`).toBe('FAIL');
    expect(JSON.parse(JSON.stringify(trial)).state).toBe('FAIL');
    expect((JSON.parse(JSON.stringify(study.toJSON())) as { trials: { state: string }[] }).trials[0].state).toBe('FAIL');
    expect(study.toCSV().split('\n')[1].split(',')[1]).toBe('FAIL');
    expect(Object.values(TrialState)).toEqual(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']);
  });

  it("maps to Optuna's numbers and back, and names a bad one", () => {
    expect(Object.values(TrialState).map(trialStateToOptuna)).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4].map(trialStateFromOptuna)).toEqual(['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']);
    expect(() => trialStateFromOptuna(7)).toThrow(/state: expected Optuna's TrialState number 0 to 4, got 7/);
    expect(() => trialStateFromOptuna('FAIL')).toThrow(/got "FAIL"/);
  });
});
