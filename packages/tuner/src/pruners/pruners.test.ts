import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../frozen-trial';
import type { StudyView } from '../samplers/sampler';
import { TrialState } from '../trial-state';
import { HyperbandPruner } from './hyperband-pruner';
import { MedianPruner, PercentilePruner } from './percentile-pruner';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';

let id = 0;
function trial(state: TrialState, curve: number[], number = id): FrozenTrial {
  id++;
  return {
    trialId: id,
    number,
    state,
    value: state === TrialState.COMPLETE ? (curve.at(-1) ?? null) : null,
    values: null,
    params: {},
    distributions: {},
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: Object.fromEntries(curve.map((v, i) => [i, v])),
    datetimeStart: null,
    datetimeComplete: null,
  };
}

const view = (trials: FrozenTrial[], direction: 'minimize' | 'maximize' = 'minimize'): StudyView => ({ directions: [direction], trials });

describe('MedianPruner', () => {
  const done = [1, 2, 3, 4, 5].map((v) => trial(TrialState.COMPLETE, [v, v - 0.5]));

  it('prunes a trial worse than the median at the same step, keeps a better one', () => {
    const pruner = new MedianPruner({ nStartupTrials: 5 });
    expect(pruner.prune(view(done), trial(TrialState.RUNNING, [3.5]))).toBe(true);
    expect(pruner.prune(view(done), trial(TrialState.RUNNING, [2.5]))).toBe(false);
  });

  it('waits for start-up trials and warm-up steps, and follows the direction', () => {
    expect(new MedianPruner({ nStartupTrials: 6 }).prune(view(done), trial(TrialState.RUNNING, [9]))).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 1 }).prune(view(done), trial(TrialState.RUNNING, [9]))).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 1 }).prune(view(done, 'maximize'), trial(TrialState.RUNNING, [9]))).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 1 }).prune(view(done, 'maximize'), trial(TrialState.RUNNING, [1]))).toBe(true);
  });

  it('PercentilePruner(25) is stricter than the median', () => {
    const t = trial(TrialState.RUNNING, [2.5]);
    expect(new PercentilePruner(25, { nStartupTrials: 1 }).prune(view(done), t)).toBe(true);
    expect(new PercentilePruner(50, { nStartupTrials: 1 }).prune(view(done), t)).toBe(false);
  });
});

describe('NaN, as Optuna treats it', () => {
  const done = [1, 2, 3, 4, 5].map((v) => trial(TrialState.COMPLETE, [v]));

  it('MedianPruner prunes a trial that reported only NaN, not one with a number among its NaNs', () => {
    const pruner = new MedianPruner({ nStartupTrials: 1 });
    expect(pruner.prune(view(done), trial(TrialState.RUNNING, [Number.NaN]))).toBe(true);
    expect(pruner.prune(view(done), trial(TrialState.RUNNING, [1, Number.NaN]))).toBe(false);
    // ...but never before a trial has finished (Optuna returns first when none has).
    expect(new MedianPruner({ nStartupTrials: 0 }).prune(view([]), trial(TrialState.RUNNING, [Number.NaN]))).toBe(false);
  });

  it("leaves finished trials' NaNs out of the median (np.nanpercentile), and counts them for nMinTrials", () => {
    const withNaN = [Number.NaN, Number.NaN, Number.NaN, 1, 1].map((v) => trial(TrialState.COMPLETE, [v]));
    expect(new MedianPruner({ nStartupTrials: 1 }).prune(view(withNaN), trial(TrialState.RUNNING, [0.5]))).toBe(false);
    expect(new MedianPruner({ nStartupTrials: 1 }).prune(view(withNaN), trial(TrialState.RUNNING, [1.5]))).toBe(true);
    const oneAndNaN = [Number.NaN, 1].map((v) => trial(TrialState.COMPLETE, [v]));
    expect(new MedianPruner({ nStartupTrials: 1, nMinTrials: 2 }).prune(view(oneAndNaN), trial(TrialState.RUNNING, [1.5]))).toBe(true);
    const allNaN = [Number.NaN, Number.NaN].map((v) => trial(TrialState.COMPLETE, [v]));
    expect(new MedianPruner({ nStartupTrials: 1 }).prune(view(allNaN), trial(TrialState.RUNNING, [1.5]))).toBe(false);
  });

  it('SuccessiveHalvingPruner prunes at a rung whose value is NaN and does not store it', () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const t = trial(TrialState.RUNNING, [0, Number.NaN]);
    expect(pruner.prune(view([]), t)).toBe(true);
    expect(t.systemAttrs.completed_rung_0).toBeUndefined();
    // Before its first rung a NaN does not prune.
    expect(pruner.prune(view([]), trial(TrialState.RUNNING, [Number.NaN]))).toBe(false);
  });
});

describe('SuccessiveHalvingPruner', () => {
  it('promotes only the top 1/reductionFactor at each rung', () => {
    const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    const others = [1, 2, 3].map((v) => {
      const t = trial(TrialState.COMPLETE, [v, v]);
      t.systemAttrs.completed_rung_0 = v;
      return t;
    });
    const good = trial(TrialState.RUNNING, [9, 1.5]);
    expect(pruner.prune(view(others), good)).toBe(false);
    expect(good.systemAttrs.completed_rung_0).toBe(1.5);
    const bad = trial(TrialState.RUNNING, [9, 2.5]);
    expect(pruner.prune(view(others), bad)).toBe(true);
  });
});

describe('HyperbandPruner', () => {
  it('assigns trials to brackets deterministically and uses every bracket', () => {
    const hb = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    expect(hb.brackets).toHaveLength(4);
    const brackets = new Set(Array.from({ length: 200 }, (_, i) => hb.bracketOf(trial(TrialState.RUNNING, [], i))));
    expect(brackets.size).toBe(4);
    expect(hb.bracketOf(trial(TrialState.RUNNING, [], 7))).toBe(hb.bracketOf(trial(TrialState.RUNNING, [], 7)));
  });
});
