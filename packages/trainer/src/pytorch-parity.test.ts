import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCpuKernels } from '@fmnist/backend';
import { ADAM_UPDATE } from '@fmnist/core';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback, type Logs } from './callbacks/callback';
import { fit } from './fit';
import { type LossName, lossFromLogits, lossGradFromLogits } from './losses';
import { Adam, AdamW } from './optimizers/adam';
import type { Optimizer } from './optimizers/optimizer';
import { RMSprop } from './optimizers/rmsprop';
import { SGD } from './optimizers/sgd';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './schedulers/cosine-annealing-lr';
import { LinearWarmup } from './schedulers/linear-warmup';
import { OneCycleLR } from './schedulers/one-cycle-lr';
import { ReduceLROnPlateau } from './schedulers/reduce-lr-on-plateau';
import { ExponentialLR, LinearLR, MultiStepLR, StepLR } from './schedulers/step-lr';
import { toyDataset, useCpu } from './test-utils/toy-data';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';

// Our optimizers, schedules and losses against PyTorch itself on the same inputs: one Python process
// (test-utils/pytorch-parity.py) computes every case; each test compares one. Float32 values agree to
// 1e-5 relative; learning rates (double on both sides) to 1e-9.

const python = PYTHON;
const hasTorch = pythonHas('torch');

/** Seeded values in [-1, 1), each exactly a float32 (so JSON carries the same numbers to both sides). */
function values(seed: number, n: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.fround((s / 4294967296) * 2 - 1);
  });
}

function expectClose(ours: number[], theirs: number[], rtol: number, atol: number, what: string): void {
  expect(ours.length, what).toBe(theirs.length);
  const bad = ours.map((v, i) => [i, v, theirs[i]] as const).filter(([, a, b]) => !(Math.abs(a - b) <= atol + rtol * Math.abs(b)));
  expect(bad.slice(0, 3), `${what}: [index, ours, PyTorch]`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Schedules, recorded per batch inside a real fit (4 batches per epoch).

type TorchSpec = [string, Record<string, unknown>];

interface ScheduleCase {
  id: string;
  epochs: number;
  /** Our optimizer (its lr is the base rate) and callbacks. */
  optimizer: () => Optimizer;
  callbacks: () => Callback[];
  torch: { optimizer: TorchSpec; schedulers: TorchSpec[]; driver: 'epoch' | 'step' | 'fractional' | 'plateau'; metrics?: (number | 'nan')[] };
}

const STEPS = 4;
const sgd = (lr: number, momentum = 0): TorchSpec => ['sgd', { lr, momentum }];
const metricSeq = [1, 0.9, 0.95, 0.9, 0.891, 0.95, 0.7, 0.71, 0.72];

const scheduleCases: ScheduleCase[] = [
  {
    id: 'StepLR',
    epochs: 5,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new StepLR({ stepSize: 2, gamma: 0.5 })],
    torch: { optimizer: sgd(0.1), schedulers: [['StepLR', { step_size: 2, gamma: 0.5 }]], driver: 'epoch' },
  },
  {
    id: 'StepLR per step',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new StepLR({ stepSize: 3, gamma: 0.5, interval: 'step' })],
    torch: { optimizer: sgd(0.1), schedulers: [['StepLR', { step_size: 3, gamma: 0.5 }]], driver: 'step' },
  },
  {
    id: 'MultiStepLR',
    epochs: 5,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new MultiStepLR({ milestones: [3, 1], gamma: 0.1 })],
    torch: { optimizer: sgd(0.1), schedulers: [['MultiStepLR', { milestones: [1, 3], gamma: 0.1 }]], driver: 'epoch' },
  },
  {
    id: 'ExponentialLR',
    epochs: 4,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new ExponentialLR({ gamma: 0.8 })],
    torch: { optimizer: sgd(0.1), schedulers: [['ExponentialLR', { gamma: 0.8 }]], driver: 'epoch' },
  },
  {
    id: 'ExponentialLR per step',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new ExponentialLR({ gamma: 0.9, interval: 'step' })],
    torch: { optimizer: sgd(0.1), schedulers: [['ExponentialLR', { gamma: 0.9 }]], driver: 'step' },
  },
  {
    id: 'LinearLR',
    epochs: 5,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new LinearLR({ startFactor: 0.25, endFactor: 0.9, totalIters: 3 })],
    torch: { optimizer: sgd(0.1), schedulers: [['LinearLR', { start_factor: 0.25, end_factor: 0.9, total_iters: 3 }]], driver: 'epoch' },
  },
  {
    id: 'CosineAnnealingLR (past tMax too)',
    epochs: 6,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingLR({ tMax: 4, etaMin: 0.001 })],
    torch: { optimizer: sgd(0.1), schedulers: [['CosineAnnealingLR', { T_max: 4, eta_min: 0.001 }]], driver: 'epoch' },
  },
  {
    id: 'CosineAnnealingLR per step, one epoch',
    epochs: 1,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingLR({ tMax: STEPS, interval: 'step' })],
    torch: { optimizer: sgd(0.1), schedulers: [['CosineAnnealingLR', { T_max: STEPS }]], driver: 'step' },
  },
  {
    id: 'CosineAnnealingLR per step',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingLR({ tMax: 3 * STEPS, etaMin: 0.002, interval: 'step' })],
    torch: { optimizer: sgd(0.1), schedulers: [['CosineAnnealingLR', { T_max: 3 * STEPS, eta_min: 0.002 }]], driver: 'step' },
  },
  {
    id: 'CosineAnnealingWarmRestarts (fractional epochs)',
    epochs: 7,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingWarmRestarts({ t0: 1, tMult: 2, etaMin: 0.001 })],
    torch: { optimizer: sgd(0.1), schedulers: [['CosineAnnealingWarmRestarts', { T_0: 1, T_mult: 2, eta_min: 0.001 }]], driver: 'fractional' },
  },
  {
    id: 'CosineAnnealingWarmRestarts per step',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingWarmRestarts({ t0: 3, interval: 'step' })],
    torch: { optimizer: sgd(0.1), schedulers: [['CosineAnnealingWarmRestarts', { T_0: 3 }]], driver: 'step' },
  },
  {
    id: 'OneCycleLR with SGD (momentum cycled)',
    epochs: 5,
    optimizer: () => new SGD({ lr: 0.01, momentum: 0.9 }),
    callbacks: () => [new OneCycleLR({ maxLr: 0.1 })],
    torch: { optimizer: sgd(0.01, 0.9), schedulers: [['OneCycleLR', { max_lr: 0.1, total_steps: 5 * STEPS }]], driver: 'step' },
  },
  {
    id: 'OneCycleLR with SGD without momentum (PyTorch turns it on)',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.01 }),
    callbacks: () => [new OneCycleLR({ maxLr: 0.1, pctStart: 0.5 })],
    torch: { optimizer: sgd(0.01), schedulers: [['OneCycleLR', { max_lr: 0.1, total_steps: 3 * STEPS, pct_start: 0.5 }]], driver: 'step' },
  },
  {
    id: 'OneCycleLR three-phase, linear, with Adam (beta1 cycled)',
    epochs: 5,
    optimizer: () => new Adam({ lr: 0.001 }),
    callbacks: () => [
      new OneCycleLR({
        maxLr: 0.05,
        threePhase: true,
        annealStrategy: 'linear',
        pctStart: 0.25,
        divFactor: 10,
        finalDivFactor: 100,
        baseMomentum: 0.8,
        maxMomentum: 0.9,
      }),
    ],
    torch: {
      optimizer: ['adam', { lr: 0.001 }],
      schedulers: [
        [
          'OneCycleLR',
          {
            max_lr: 0.05,
            total_steps: 5 * STEPS,
            three_phase: true,
            anneal_strategy: 'linear',
            pct_start: 0.25,
            div_factor: 10,
            final_div_factor: 100,
            base_momentum: 0.8,
            max_momentum: 0.9,
          },
        ],
      ],
      driver: 'step',
    },
  },
  {
    id: 'OneCycleLR without momentum cycling',
    epochs: 2,
    optimizer: () => new Adam({ lr: 0.001 }),
    callbacks: () => [new OneCycleLR({ maxLr: 0.01, cycleMomentum: false, totalSteps: 10 })],
    torch: { optimizer: ['adam', { lr: 0.001 }], schedulers: [['OneCycleLR', { max_lr: 0.01, total_steps: 10, cycle_momentum: false }]], driver: 'step' },
  },
  {
    id: 'ReduceLROnPlateau (min, rel, cooldown)',
    epochs: metricSeq.length,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [
      new FeedMetric(metricSeq),
      new ReduceLROnPlateau({ monitor: 'metric', mode: 'min', patience: 1, factor: 0.5, cooldown: 1, threshold: 0.01 }),
    ],
    torch: {
      optimizer: sgd(0.1),
      schedulers: [['ReduceLROnPlateau', { mode: 'min', patience: 1, factor: 0.5, cooldown: 1, threshold: 0.01 }]],
      driver: 'plateau',
      metrics: metricSeq,
    },
  },
  {
    id: 'ReduceLROnPlateau (max, abs, NaN first, minLr)',
    epochs: 7,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [
      new FeedMetric([Number.NaN, 0.5, 0.5, 0.52, 0.6, 0.6, 0.6]),
      new ReduceLROnPlateau({ monitor: 'metric', mode: 'max', patience: 0, thresholdMode: 'abs', threshold: 0.05, minLr: 0.02, factor: 0.3 }),
    ],
    torch: {
      optimizer: sgd(0.1),
      schedulers: [['ReduceLROnPlateau', { mode: 'max', patience: 0, threshold_mode: 'abs', threshold: 0.05, min_lr: 0.02, factor: 0.3 }]],
      driver: 'plateau',
      metrics: ['nan', 0.5, 0.5, 0.52, 0.6, 0.6, 0.6],
    },
  },
  {
    // LinearWarmup({ warmupSteps: W, startFactor: f }) is LinearLR(start_factor = f + (1 - f) / W, total_iters = W - 1) per step.
    id: 'LinearWarmup',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new LinearWarmup({ warmupSteps: 5, startFactor: 0.1 })],
    torch: { optimizer: sgd(0.1), schedulers: [['LinearLR', { start_factor: 0.1 + 0.9 / 5, total_iters: 4 }]], driver: 'step' },
  },
  {
    // Our LinearWarmup multiplies the rate of the schedule listed before it: torch's ChainedScheduler.
    id: 'LinearWarmup over CosineAnnealingLR per step',
    epochs: 3,
    optimizer: () => new SGD({ lr: 0.1 }),
    callbacks: () => [new CosineAnnealingLR({ tMax: 3 * STEPS, interval: 'step' }), new LinearWarmup({ warmupSteps: 4 })],
    torch: {
      optimizer: sgd(0.1),
      schedulers: [
        ['LinearLR', { start_factor: 0.25, total_iters: 3 }],
        ['CosineAnnealingLR', { T_max: 3 * STEPS }],
      ],
      driver: 'step',
    },
  },
];

// FeedMetric's metric, registered as a user registers theirs, so that a monitor may name it.
declare module './callbacks/metric-name' {
  interface CustomMetrics {
    metric: number;
  }
}

/** Puts the next value of a given sequence in the epoch's logs as `metric` (list it before the scheduler). */
class FeedMetric extends Callback {
  constructor(private readonly sequence: number[]) {
    super();
  }
  onEpochEnd(epoch: number, logs: Logs): void {
    logs.metric = this.sequence[epoch];
  }
}

/** Records the learning rate and momentum each batch trains with (list it last). */
class Recorder extends Callback {
  readonly lr: number[] = [];
  readonly momentum: (number | undefined)[] = [];
  constructor(private readonly optimizer: Optimizer) {
    super();
  }
  onBatchBegin(): void {
    this.lr.push(this.trainer.getLearningRate());
    this.momentum.push(this.optimizer.getMomentum());
  }
}

/**
 * Gives schedules the run's optimizer as `trainer.optimizer` where the trainer does not expose it
 * yet (OneCycleLR cycles its momentum through it); a no-op once fit's control has it.
 */
async function recordSchedule(c: ScheduleCase): Promise<Recorder> {
  const optimizer = c.optimizer();
  const recorder = new Recorder(optimizer);
  const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
  const loader = new DataLoader(toyDataset(STEPS * 16), { batchSize: 16, seed: 2 });
  await fit(model, loader, { epochs: c.epochs, seed: 3, optimizer, callbacks: [...c.callbacks(), recorder] });
  optimizer.dispose();
  model.dispose();
  return recorder;
}

// ---------------------------------------------------------------------------------------------
// Optimizer trajectories: two parameters, a gradient sequence in which the second gets none for the
// first 5 steps (a frozen base) and the first none at step 8 (a conditional branch).

interface OptimizerCase {
  id: string;
  ours: () => Optimizer;
  torch: TorchSpec;
  /** Learning rate and momentum (β1 for Adam) set before each step, as a schedule would. */
  lrs?: number[];
  momenta?: number[];
}

const STEPS_OPT = 12;
const init = [values(1, 3), values(2, 4)];
const shapes = [[3], [2, 2]];
const gradSeq: (number[] | null)[][] = Array.from({ length: STEPS_OPT }, (_, s) => [
  s === 8 ? null : values(100 + s, 3),
  s < 5 ? null : values(200 + s, 4).map((v) => v * 3),
]);
const nest = (flat: number[], shape: number[]) => (shape.length === 1 ? flat : [flat.slice(0, 2), flat.slice(2, 4)]);
const cycle = Array.from({ length: STEPS_OPT }, (_, s) => 0.85 + 0.1 * Math.abs(Math.cos(s)));
const lrCycle = Array.from({ length: STEPS_OPT }, (_, s) => 0.01 + 0.05 * Math.sin(s / 3) ** 2);

const optimizerCases: OptimizerCase[] = [
  { id: 'SGD', ours: () => new SGD({ lr: 0.1 }), torch: ['sgd', { lr: 0.1 }] },
  { id: 'SGD momentum', ours: () => new SGD({ lr: 0.1, momentum: 0.9 }), torch: ['sgd', { lr: 0.1, momentum: 0.9 }] },
  { id: 'SGD Nesterov', ours: () => new SGD({ lr: 0.1, momentum: 0.9, nesterov: true }), torch: ['sgd', { lr: 0.1, momentum: 0.9, nesterov: true }] },
  { id: 'SGD dampening', ours: () => new SGD({ lr: 0.1, momentum: 0.9, dampening: 0.3 }), torch: ['sgd', { lr: 0.1, momentum: 0.9, dampening: 0.3 }] },
  {
    id: 'SGD weight decay',
    ours: () => new SGD({ lr: 0.1, momentum: 0.9, weightDecay: 0.05 }),
    torch: ['sgd', { lr: 0.1, momentum: 0.9, weight_decay: 0.05 }],
  },
  {
    id: 'SGD maximize',
    ours: () => new SGD({ lr: 0.1, momentum: 0.5, weightDecay: 0.01, maximize: true }),
    torch: ['sgd', { lr: 0.1, momentum: 0.5, weight_decay: 0.01, maximize: true }],
  },
  { id: 'SGD, momentum switched on and cycled', ours: () => new SGD({ lr: 0.1 }), torch: ['sgd', { lr: 0.1 }], lrs: lrCycle, momenta: cycle },
  { id: 'Adam', ours: () => new Adam({ lr: 0.01 }), torch: ['adam', { lr: 0.01 }] },
  {
    id: 'Adam L2',
    ours: () => new Adam({ lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.99], eps: 1e-6 }),
    torch: ['adam', { lr: 0.01, weight_decay: 0.1, betas: [0.8, 0.99], eps: 1e-6 }],
  },
  { id: 'Adam amsgrad', ours: () => new Adam({ lr: 0.01, amsgrad: true }), torch: ['adam', { lr: 0.01, amsgrad: true }] },
  {
    id: 'Adam maximize',
    ours: () => new Adam({ lr: 0.01, maximize: true, weightDecay: 0.01 }),
    torch: ['adam', { lr: 0.01, maximize: true, weight_decay: 0.01 }],
  },
  { id: 'Adam, lr and beta1 cycled', ours: () => new Adam({ lr: 0.01 }), torch: ['adam', { lr: 0.01 }], lrs: lrCycle, momenta: cycle },
  { id: 'AdamW', ours: () => new AdamW({ lr: 0.01 }), torch: ['adamw', { lr: 0.01 }] },
  {
    id: 'AdamW amsgrad',
    ours: () => new AdamW({ lr: 0.01, weightDecay: 0.1, amsgrad: true }),
    torch: ['adamw', { lr: 0.01, weight_decay: 0.1, amsgrad: true }],
  },
  { id: 'RMSprop', ours: () => new RMSprop({ lr: 0.01 }), torch: ['rmsprop', { lr: 0.01 }] },
  { id: 'RMSprop centered', ours: () => new RMSprop({ lr: 0.01, centered: true }), torch: ['rmsprop', { lr: 0.01, centered: true }] },
  { id: 'RMSprop momentum', ours: () => new RMSprop({ lr: 0.01, momentum: 0.9 }), torch: ['rmsprop', { lr: 0.01, momentum: 0.9 }] },
  {
    id: 'RMSprop centered, momentum, weight decay',
    ours: () => new RMSprop({ lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.1 }),
    torch: ['rmsprop', { lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weight_decay: 0.1 }],
  },
];

/**
 * Our trajectory: weights after each step. `frozen: 'absent'` leaves a variable without gradient out
 * of `vars` (what trainStep does for a frozen one); `'undefined'` passes no gradient for it.
 */
function trajectory(c: OptimizerCase, frozen: 'absent' | 'undefined'): number[][][] {
  const opt = c.ours();
  const vars = init.map((w, i) => tf.variable(tf.tensor(w, shapes[i], 'float32')));
  const out: number[][][] = [];
  for (const [s, grads] of gradSeq.entries()) {
    if (c.lrs) opt.lr = c.lrs[s];
    if (c.momenta) opt.setMomentum(c.momenta[s]);
    const gs = grads.map((g, i) => (g ? tf.tensor(g, shapes[i], 'float32') : undefined));
    if (frozen === 'undefined') opt.apply(vars, gs);
    else
      opt.apply(
        vars.filter((_, i) => gs[i]),
        gs.filter((g): g is tf.Tensor => g !== undefined),
      );
    tf.dispose(gs.filter((g): g is tf.Tensor => g !== undefined));
    out.push(vars.map((v) => Array.from(v.dataSync())));
  }
  opt.dispose();
  tf.dispose(vars);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Losses and their gradients with respect to the logits.

interface LossCase {
  id: string;
  kind: 'softmax' | 'sigmoid';
  logits: number[][];
  targets: number[][];
  labelSmoothing: number;
}

const oneHot = (rows: number, classes: number) =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: classes }, (_, c) => (c === (r * 3) % classes ? 1 : 0)));
const logits = (seed: number, rows: number, classes: number) =>
  Array.from({ length: rows }, (_, r) => values(seed + r, classes).map((v) => Math.fround(v * 4)));
const soft = (rows: number, classes: number) =>
  Array.from({ length: rows }, (_, r) => {
    const raw = values(500 + r, classes).map((v) => v + 1.5);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => Math.fround(v / sum));
  });

const lossCases: LossCase[] = [
  { id: 'cross-entropy', kind: 'softmax', logits: logits(300, 6, 5), targets: oneHot(6, 5), labelSmoothing: 0 },
  { id: 'cross-entropy, label smoothing 0.1', kind: 'softmax', logits: logits(310, 6, 5), targets: oneHot(6, 5), labelSmoothing: 0.1 },
  { id: 'cross-entropy, label smoothing 0.3', kind: 'softmax', logits: logits(320, 4, 10), targets: oneHot(4, 10), labelSmoothing: 0.3 },
  { id: 'cross-entropy, soft targets, label smoothing 0.2', kind: 'softmax', logits: logits(330, 5, 4), targets: soft(5, 4), labelSmoothing: 0.2 },
  { id: 'BCEWithLogits', kind: 'sigmoid', logits: logits(340, 8, 1), targets: Array.from({ length: 8 }, (_, r) => [r % 3 === 0 ? 1 : 0]), labelSmoothing: 0 },
];

function ourLoss(c: LossCase): { loss: number; grad: number[]; closedForm: number[] } {
  const name: LossName = c.kind === 'softmax' ? 'categoricalCrossentropy' : 'binaryCrossentropy';
  return tf.tidy(() => {
    const z = tf.tensor2d(c.logits);
    const y = tf.tensor2d(c.targets);
    const loss = lossFromLogits(name, y, z, c.labelSmoothing).dataSync()[0];
    const grad = Array.from(
      tf
        .grad((x: tf.Tensor) => lossFromLogits(name, y, x, c.labelSmoothing))(z)
        .dataSync(),
    );
    const closedForm = Array.from(lossGradFromLogits(name, y, z, c.labelSmoothing).dataSync());
    return { loss, grad, closedForm };
  });
}

// ---------------------------------------------------------------------------------------------

interface TorchResults {
  schedules: Record<string, { lr: number[]; momentum: (number | null)[] }>;
  optimizers: Record<string, number[][][]>;
  losses: Record<string, { loss: number; grad: number[] }>;
}

// CI installs Debian's python3-torch; there the test must run (no silent skip).
describe.runIf(hasTorch || process.env.CI)('PyTorch parity', () => {
  let torch: TorchResults;

  beforeAll(async () => {
    await useCpu();
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-parity-'));
    try {
      const input = join(dir, 'cases.json');
      writeFileSync(
        input,
        JSON.stringify({
          schedules: scheduleCases.map((c) => ({ id: c.id, epochs: c.epochs, stepsPerEpoch: STEPS, ...c.torch })),
          optimizers: optimizerCases.map((c) => ({
            id: c.id,
            optimizer: c.torch,
            init: init.map((w, i) => nest(w, shapes[i])),
            grads: gradSeq.map((gs) => gs.map((g, i) => (g ? nest(g, shapes[i]) : null))),
            ...(c.lrs ? { lrs: c.lrs, momenta: c.momenta } : {}),
          })),
          losses: lossCases,
        }),
      );
      const script = new URL('./test-utils/pytorch-parity.py', import.meta.url).pathname;
      torch = JSON.parse(execFileSync(python, [script, input], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('learning-rate schedules, per batch inside fit', () => {
    it.each(scheduleCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const rec = await recordSchedule(c);
      const theirs = torch.schedules[c.id];
      expectClose(rec.lr, theirs.lr, 1e-9, 1e-15, 'lr');
      expectClose(
        rec.momentum.map((m) => m ?? 0),
        theirs.momentum.map((m) => m ?? 0),
        1e-9,
        1e-15,
        'momentum',
      );
    });
  });

  describe('optimizer trajectories (a parameter without gradient for some steps included)', () => {
    it.each(optimizerCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      const theirs = torch.optimizers[c.id];
      for (const frozen of ['absent', 'undefined'] as const) {
        const ours = trajectory(c, frozen);
        ours.forEach((step, s) => step.forEach((w, p) => expectClose(w, theirs[s][p], 1e-5, 1e-6, `${frozen}: step ${s}, parameter ${p}`)));
      }
    });

    it("Adam and AdamW through the backend's fused kernel too", async () => {
      registerCpuKernels();
      expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeDefined();
      for (const c of optimizerCases.filter((o) => o.torch[0].startsWith('adam') && !o.id.includes('amsgrad'))) {
        const ours = trajectory(c, 'absent');
        const theirs = torch.optimizers[c.id];
        ours.forEach((step, s) => step.forEach((w, p) => expectClose(w, theirs[s][p], 1e-5, 1e-6, `${c.id}: step ${s}, parameter ${p}`)));
      }
      tf.unregisterKernel(ADAM_UPDATE, 'cpu');
    });
  });

  describe('losses and their gradients', () => {
    it.each(lossCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      const ours = ourLoss(c);
      const theirs = torch.losses[c.id];
      expectClose([ours.loss], [theirs.loss], 1e-5, 1e-7, 'loss');
      expectClose(ours.grad, theirs.grad, 1e-5, 1e-7, 'gradient (tape)');
      expectClose(ours.closedForm, theirs.grad, 1e-5, 1e-7, 'gradient (closed form)');
    });
  });
});
