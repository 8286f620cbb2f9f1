import { describe, expect, it } from 'vitest';
import { floatDistribution } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { TrialState } from '../trial-state';
import { TPESampler } from './tpe-sampler';

const x = floatDistribution('x', 0, 1);

function trial(number: number, state: TrialState, params: { x: number }, value: number | null, curve: number[] = []): FrozenTrial {
  return {
    trialId: number,
    number,
    state,
    value,
    values: value === null ? null : [value],
    params,
    distributions: { x },
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: Object.fromEntries(curve.map((v, i) => [i, v])),
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** Five draws of x for a new trial. */
function draws(trials: FrozenTrial[]): number[] {
  const current = trial(trials.length, TrialState.RUNNING, { x: 0 }, null);
  return [0, 1, 2, 3, 4].map(
    (seed) => new TPESampler({ seed, nStartupTrials: 0 }).sampleIndependent({ directions: ['minimize'], trials }, current, 'x', x) as number,
  );
}

describe('TPESampler with infinite and NaN values (as Optuna ranks them)', () => {
  // Ten trials at x = 0.05 ... 0.95 with loss x; the good group (gamma(10) = 1) is the best one.
  const xs = Array.from({ length: 10 }, (_, i) => 0.05 + 0.1 * i);

  it('ranks a completed trial with loss -Infinity best', () => {
    const trials = xs.map((v, i) => trial(i, TrialState.COMPLETE, { x: v }, i === 9 ? Number.NEGATIVE_INFINITY : v));
    expect(draws(trials).every((v) => v > 0.5)).toBe(true);
  });

  it('ranks a pruned trial whose last value is NaN after the others at its step', () => {
    // Only pruned trials, all at step 0: x = 0.05 reported NaN, so the best is x = 0.15.
    const trials = xs.map((v, i) => trial(i, TrialState.PRUNED, { x: v }, null, [i === 0 ? Number.NaN : v]));
    const nan = draws(trials);
    const finite = draws(trials.map((t, i) => (i === 0 ? trial(0, TrialState.PRUNED, { x: 0.05 }, null, [10]) : t)));
    expect(nan).toEqual(finite);
  });
});
