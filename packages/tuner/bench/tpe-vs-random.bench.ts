// pnpm bench (tuner): TPE vs random vs QMC on standard test functions, averaged over seeds,
// with Optuna's own TPESampler (Debian's python3-optuna) measured in the same run when present.
import { execFileSync } from 'node:child_process';
import { createStudy, QMCSampler, RandomSampler, type Sampler, TPESampler, type Trial } from '../src/index';

const SEEDS = Number(process.env.SEEDS ?? 20);
const BUDGET = Number(process.env.BUDGET ?? 60);

interface Problem {
  name: string;
  objective: (t: Trial) => number;
  optimum: number;
  python: string;
}

const problems: Problem[] = [
  {
    name: 'branin',
    optimum: 0.397887,
    objective: (t) => {
      const x = t.suggestFloat('x', -5, 10);
      const y = t.suggestFloat('y', 0, 15);
      return (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    },
    python: `x = t.suggest_float("x", -5, 10); y = t.suggest_float("y", 0, 15)
    return (y - 5.1 / (4 * math.pi ** 2) * x * x + 5 / math.pi * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10`,
  },
  {
    name: 'hartmann6',
    optimum: -3.32237,
    objective: (t) => {
      const x = [0, 1, 2, 3, 4, 5].map((i) => t.suggestFloat(`x${i}`, 0, 1));
      return hartmann6(x);
    },
    python: `x = [t.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    return hartmann6(x)`,
  },
  {
    name: 'mixed-conditional',
    optimum: 0,
    objective: (t) => {
      const model = t.suggestCategorical('model', ['linear', 'quadratic', 'abs']);
      const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
      const n = t.suggestInt('n', 1, 64, { log: true });
      const base = (Math.log10(lr) + 2.5) ** 2 + (Math.log2(n) - 4) ** 2 / 4;
      if (model === 'linear') return base + 1 + Math.abs(t.suggestFloat('a', -2, 2));
      if (model === 'quadratic') return base + (t.suggestFloat('b', -2, 2) - 0.5) ** 2;
      return base + 0.5 + Math.abs(t.suggestInt('c', -5, 5));
    },
    python: `model = t.suggest_categorical("model", ["linear", "quadratic", "abs"])
    lr = t.suggest_float("lr", 1e-5, 1, log=True); n = t.suggest_int("n", 1, 64, log=True)
    base = (math.log10(lr) + 2.5) ** 2 + (math.log2(n) - 4) ** 2 / 4
    if model == "linear": return base + 1 + abs(t.suggest_float("a", -2, 2))
    if model == "quadratic": return base + (t.suggest_float("b", -2, 2) - 0.5) ** 2
    return base + 0.5 + abs(t.suggest_int("c", -5, 5))`,
  },
];

const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));
const ALPHA = [1, 1.2, 3, 3.2];
function hartmann6(x: number[]): number {
  return -ALPHA.reduce((s, a, i) => s + a * Math.exp(-A[i].reduce((q, aij, j) => q + aij * (x[j] - P[i][j]) ** 2, 0)), 0);
}

async function mean(problem: Problem, sampler: (seed: number) => Sampler): Promise<number> {
  let total = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const study = await createStudy({ sampler: sampler(seed), logger: () => {} });
    await study.optimize(problem.objective, { nTrials: BUDGET });
    total += study.bestValue;
  }
  return total / SEEDS;
}

function optunaMean(problem: Problem): number | undefined {
  const script = `
import math, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
A = ${JSON.stringify(A)}; P = ${JSON.stringify(P)}; ALPHA = ${JSON.stringify(ALPHA)}
def hartmann6(x):
    return -sum(a * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i, a in enumerate(ALPHA))
def obj(t):
    ${problem.python}
vals = []
for seed in range(${SEEDS}):
    s = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    s.optimize(obj, n_trials=${BUDGET})
    vals.append(s.best_value)
print(sum(vals) / len(vals))`;
  try {
    return Number(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

console.log(`mean best value over ${SEEDS} seeds, ${BUDGET} trials each (lower is better; gap = best - optimum)`);
console.log('| problem | optimum | random | QMC (Halton) | TPE (ours) | TPE multivariate (ours) | Optuna TPE 3.1 | ours / random gap | ours / Optuna gap |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const p of problems.filter((q) => !process.env.PROBLEMS || process.env.PROBLEMS.split(',').includes(q.name))) {
  const random = await mean(p, (s) => new RandomSampler({ seed: s }));
  const qmc = await mean(p, (s) => new QMCSampler({ seed: s }));
  const tpe = await mean(p, (s) => new TPESampler({ seed: s }));
  const tpeMv = await mean(p, (s) => new TPESampler({ seed: s, multivariate: true }));
  const optuna = optunaMean(p);
  const gap = (v: number) => v - p.optimum;
  console.log(
    `| ${p.name} | ${p.optimum} | ${random.toFixed(4)} | ${qmc.toFixed(4)} | ${tpe.toFixed(4)} | ${tpeMv.toFixed(4)} | ${optuna === undefined ? 'n/a' : optuna.toFixed(4)} | ${(gap(tpe) / gap(random)).toFixed(2)} | ${optuna === undefined ? 'n/a' : (gap(tpe) / gap(optuna)).toFixed(2)} |`,
  );
}
