import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../frozen-trial';
import { parsePythonJson, stringifyPythonJson } from '../storage/python-json';
import { TrialState } from '../trial-state';
import { PercentilePruner } from './percentile-pruner';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';
import { PYTHON, pythonHas } from '../../../core/src/test-utils/python';

// Our pruners against Optuna's own (Debian's python3-optuna), on the same reported values,
// NaN and ±Infinity included: the decisions must be the same.

const python = PYTHON;
const hasOptuna = pythonHas('optuna');

/** mulberry32: a seeded generator, so the cases are the same on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Curve = [number, number][];

interface PercentileCase {
  direction: 'minimize' | 'maximize';
  percentile: number;
  nStartupTrials: number;
  nWarmupSteps: number;
  intervalSteps: number;
  nMinTrials: number;
  completed: Curve[];
  running: Curve;
}

interface HalvingCase {
  direction: 'minimize' | 'maximize';
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
  bootstrapCount: number;
  /** Rung values of the other trials (completed_rung_i), as Optuna stores them: never NaN. */
  others: number[][];
  running: Curve;
}

const rand = generator(28);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const value = (nan = true): number => (rand() < 0.3 ? pick(nan ? special : special.slice(1)) : pick([0, 0.5, 1, 2, Math.round(rand() * 100) / 10]));
const curve = (maxStep: number, draw: () => number = value): Curve =>
  Array.from({ length: maxStep + 1 }, (_, step) => step)
    .filter(() => rand() < 0.7)
    .map((step) => [step, draw()]);
/** A running trial: random, or only NaN, or poor (so that some are pruned in either direction). */
const runningCurve = (maxStep: number): Curve => {
  const r = rand();
  if (r < 0.15) return curve(maxStep, () => Number.NaN);
  if (r < 0.45) return curve(maxStep, () => (rand() < 0.3 ? Number.NaN : pick([-1, 0, 5, 10])));
  return curve(maxStep);
};

const percentileCases: PercentileCase[] = Array.from({ length: 400 }, () => ({
  direction: pick(['minimize', 'maximize'] as const),
  percentile: pick([25, 50, 75]),
  nStartupTrials: pick([0, 1, 1, 3]),
  nWarmupSteps: pick([0, 1, 2]),
  intervalSteps: pick([1, 1, 1, 2, 3]),
  nMinTrials: pick([1, 1, 2, 3]),
  completed: Array.from({ length: Math.floor(rand() * 7) }, () => curve(5)),
  running: runningCurve(5),
}));

const halvingCases: HalvingCase[] = Array.from({ length: 400 }, () => ({
  direction: pick(['minimize', 'maximize'] as const),
  minResource: pick([1, 2]),
  reductionFactor: pick([2, 3, 4]),
  minEarlyStoppingRate: pick([0, 1]),
  bootstrapCount: pick([0, 0, 1, 2]),
  others: Array.from({ length: Math.floor(rand() * 7) }, () => Array.from({ length: Math.floor(rand() * 4) }, () => value(false))),
  running: runningCurve(9),
}));

let id = 1000;
function frozen(state: TrialState, c: Curve, systemAttrs: Record<string, unknown> = {}): FrozenTrial {
  id++;
  return {
    trialId: id,
    number: id,
    state,
    value: state === TrialState.COMPLETE ? 0 : null,
    values: state === TrialState.COMPLETE ? [0] : null,
    params: {},
    distributions: {},
    userAttrs: {},
    systemAttrs,
    intermediateValues: Object.fromEntries(c),
    datetimeStart: null,
    datetimeComplete: null,
  };
}

function ours(): { percentile: boolean[]; halving: boolean[][] } {
  const percentile = percentileCases.map((c) => {
    const pruner = new PercentilePruner(c.percentile, {
      nStartupTrials: c.nStartupTrials,
      nWarmupSteps: c.nWarmupSteps,
      intervalSteps: c.intervalSteps,
      nMinTrials: c.nMinTrials,
    });
    const completed = c.completed.map((x) => frozen(TrialState.COMPLETE, x));
    const running = frozen(TrialState.RUNNING, c.running);
    return pruner.prune({ directions: [c.direction], trials: [...completed, running] }, running);
  });
  // A trial reports step by step and asks after each report, until it is pruned.
  const halving = halvingCases.map((c) => {
    const pruner = new SuccessiveHalvingPruner(c);
    const others = c.others.map((rungs) => frozen(TrialState.COMPLETE, [], Object.fromEntries(rungs.map((v, i) => [`completed_rung_${i}`, v]))));
    const running = frozen(TrialState.RUNNING, []);
    const decisions: boolean[] = [];
    for (const [step, v] of c.running) {
      running.intermediateValues[step] = v;
      decisions.push(pruner.prune({ directions: [c.direction], trials: [...others, running] }, running));
      if (decisions.at(-1)) break;
    }
    return decisions;
  });
  return { percentile, halving };
}

const script = `
import json, sys, warnings, optuna
from optuna.trial import TrialState, create_trial
optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")
cases = json.loads(sys.stdin.read())
out = {"percentile": [], "halving": []}
for c in cases["percentile"]:
    pruner = optuna.pruners.PercentilePruner(c["percentile"], n_startup_trials=c["nStartupTrials"], n_warmup_steps=c["nWarmupSteps"],
                                             interval_steps=c["intervalSteps"], n_min_trials=c["nMinTrials"])
    study = optuna.create_study(direction=c["direction"], pruner=pruner)
    for curve in c["completed"]:
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=0.0, intermediate_values={s: v for s, v in curve}))
    t = study.ask()
    for s, v in c["running"]:
        t.report(v, s)
    out["percentile"].append(bool(t.should_prune()))
for c in cases["halving"]:
    pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=c["minResource"], reduction_factor=c["reductionFactor"],
                                                    min_early_stopping_rate=c["minEarlyStoppingRate"], bootstrap_count=c["bootstrapCount"])
    study = optuna.create_study(direction=c["direction"], pruner=pruner)
    for rungs in c["others"]:
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=0.0, system_attrs={f"completed_rung_{i}": v for i, v in enumerate(rungs)}))
    t = study.ask()
    decisions = []
    for s, v in c["running"]:
        t.report(v, s)
        decisions.append(bool(t.should_prune()))
        if decisions[-1]:
            break
    out["halving"].append(decisions)
print(json.dumps(out))`;

// CI installs Debian's python3-optuna; there the test must run (no silent skip).
describe.runIf(hasOptuna || process.env.CI)("pruners decide as Optuna's own pruners do, NaN and ±Infinity included", () => {
  it('PercentilePruner (MedianPruner) and SuccessiveHalvingPruner on 800 seeded cases', () => {
    const input = stringifyPythonJson({ percentile: percentileCases, halving: halvingCases });
    const theirs = parsePythonJson(execFileSync(python, ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 26 })) as ReturnType<typeof ours>;
    const mine = ours();
    const differ = (a: unknown[], b: unknown[], cases: unknown[]) =>
      a.flatMap((x, i) => (JSON.stringify(x) === JSON.stringify(b[i]) ? [] : [{ case: stringifyPythonJson(cases[i]), optuna: b[i], ours: x }]));
    expect(differ(mine.percentile, theirs.percentile, percentileCases).slice(0, 3)).toEqual([]);
    expect(differ(mine.halving, theirs.halving, halvingCases).slice(0, 3)).toEqual([]);
    // The cases reach the NaN rules on both sides of the decision.
    const lastStep = (c: Curve) => c.reduce((m, [step]) => Math.max(m, step), -1);
    const onlyNaN = percentileCases.filter((c) => c.running.length > 0 && c.running.every(([, v]) => Number.isNaN(v)));
    const nanAtStep = percentileCases.filter((c) => c.completed.some((x) => x.some(([step, v]) => step === lastStep(c.running) && Number.isNaN(v))));
    const nanRung = halvingCases.filter((c) => c.running.some(([, v]) => Number.isNaN(v)));
    const pruned = (c: PercentileCase) => theirs.percentile[percentileCases.indexOf(c)];
    expect(onlyNaN.filter(pruned).length).toBeGreaterThan(10);
    expect(nanAtStep.filter(pruned).length).toBeGreaterThan(5);
    expect(nanAtStep.filter((c) => !pruned(c)).length).toBeGreaterThan(5);
    const prunedAtNaN = nanRung.filter((c) => {
      const d = theirs.halving[halvingCases.indexOf(c)];
      return d.at(-1) === true && Number.isNaN(c.running[d.length - 1][1]);
    });
    expect(prunedAtNaN.length).toBeGreaterThan(10);
    expect(nanRung.length - prunedAtNaN.length).toBeGreaterThan(10);
  }, 120_000);
});
