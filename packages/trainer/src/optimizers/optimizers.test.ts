import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-utils/toy-data';
import { Adam, AdamW } from './adam';
import { createOptimizer, type OptimizerConfig } from './create-optimizer';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

beforeAll(useCpu);

/** Runs `steps` updates of f(w) = sum(w * c) + 0.5 * sum(w^2) and returns w. */
function run(opt: { apply(v: tf.Variable[], g: tf.Tensor[]): void }, steps: number, w0 = [1, -2, 3]): number[] {
  const w = tf.variable(tf.tensor1d(w0));
  const c = tf.tensor1d([0.5, -1, 2].slice(0, w0.length));
  for (let i = 0; i < steps; i++) {
    const g = tf.add(c, w); // gradient of the objective
    opt.apply([w], [g]);
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  return out;
}

describe('optimizers follow PyTorch formulas', () => {
  it('SGD with momentum and Nesterov (hand-computed)', () => {
    // One-dimensional, w0 = 1, c = 0.5, lr = 0.1, momentum 0.9:
    // g0 = 1.5, buf = 1.5, w1 = 0.85; g1 = 1.35, buf = 0.9*1.5 + 1.35 = 2.7, w2 = 0.58
    expect(run(new SGD({ lr: 0.1, momentum: 0.9 }), 2, [1])[0]).toBeCloseTo(0.58, 6);
    // Nesterov: step uses g + momentum * buf: w1 = 1 - 0.1*(1.5 + 0.9*1.5) = 0.715
    expect(run(new SGD({ lr: 0.1, momentum: 0.9, nesterov: true }), 1, [1])[0]).toBeCloseTo(0.715, 6);
    // Weight decay adds wd * w to the gradient: g = 1.5 + 0.1 = 1.6
    expect(run(new SGD({ lr: 0.1, weightDecay: 0.1 }), 1, [1])[0]).toBeCloseTo(0.84, 6);
  });

  it('Adam: the first step moves each weight by lr against the gradient sign', () => {
    const w = run(new Adam({ lr: 0.01 }), 1);
    expect(w[0]).toBeCloseTo(1 - 0.01, 5);
    expect(w[1]).toBeCloseTo(-2 + 0.01, 5);
  });

  it('Adam agrees with tfjs-core AdamOptimizer over many steps', () => {
    const ours = run(new Adam({ lr: 0.05 }), 30);
    const theirs = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    const reference = run({ apply: (v, g) => theirs.applyGradients([{ name: v[0].name, tensor: g[0] }]) }, 30);
    ours.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 4));
  });

  it('AdamW decays weights decoupled from the gradient', () => {
    // With zero gradient moments... compare against Adam + explicit decay: w1 = w0 * (1 - lr*wd) - lr * sign(g)
    const w = run(new AdamW({ lr: 0.01, weightDecay: 0.1 }), 1, [1]);
    expect(w[0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
  });

  it('RMSprop matches its formula', () => {
    // g = 1.5; sq = 0.01 * 2.25 = 0.0225; step = 1.5 / (0.15 + 1e-8) = 10; w = 1 - 0.01 * 10 = 0.9
    expect(run(new RMSprop({ lr: 0.01 }), 1, [1])[0]).toBeCloseTo(0.9, 5);
  });

  it('saves and restores its state so the next step is identical', async () => {
    const a = new Adam({ lr: 0.05 });
    const w = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([0.3, -0.1]);
    a.apply([w], [g]);
    const state = await a.getState([w]);
    const b = new Adam({ lr: 0.05 });
    const w2 = tf.variable(tf.clone(w));
    b.setState(state, [w2]);
    a.apply([w], [g]);
    b.apply([w2], [g]);
    expect(w2.dataSync()).toEqual(w.dataSync());
  });

  it('leaks no tensors per step', () => {
    const opt = new Adam({ weightDecay: 0.1 });
    const w = tf.variable(tf.tensor1d([1, 2]));
    const g = tf.tensor1d([0.3, -0.1]);
    opt.apply([w], [g]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.apply([w], [g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('state per variable, as torch.optim keeps it', () => {
  const vars = () => [tf.variable(tf.tensor1d([1, -2])), tf.variable(tf.tensor1d([0.5, 3]))];
  const grads = [tf.tensor1d([0.3, -0.1]), tf.tensor1d([-0.2, 0.4])];
  const values = (vs: tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));

  it('Adam: a variable first updated at the 4th step gets the first step bias correction (moves by lr)', () => {
    for (const frozen of ['absent', 'no gradient'] as const) {
      const opt = new Adam({ lr: 0.01 });
      const [a, b] = vars();
      for (let i = 0; i < 3; i++) {
        if (frozen === 'absent') opt.apply([a], [grads[0]]);
        else opt.apply([a, b], [grads[0], undefined]);
      }
      expect(Array.from(b.dataSync())).toEqual([0.5, 3]);
      expect(opt.stepOf(a)).toBe(3);
      expect(opt.stepOf(b)).toBe(0);
      opt.apply([a, b], [grads[0], grads[1]]);
      expect(opt.stepOf(b)).toBe(1);
      const w = b.dataSync();
      expect(w[0]).toBeCloseTo(0.5 + 0.01, 6);
      expect(w[1]).toBeCloseTo(3 - 0.01, 6);
      opt.dispose();
      tf.dispose([a, b]);
    }
  });

  it('SGD: a variable starts its momentum buffer with its first gradient (dampening applies after)', () => {
    const opt = new SGD({ lr: 0.1, momentum: 0.9, dampening: 0.5 });
    const [a, b] = vars();
    opt.apply([a], [grads[0]]);
    opt.apply([a], [grads[0]]);
    opt.apply([a, b], [grads[0], grads[1]]);
    // First update of b: buf = g, w = w0 - lr * g.
    const w = b.dataSync();
    expect(w[0]).toBeCloseTo(0.5 + 0.02, 6);
    expect(w[1]).toBeCloseTo(3 - 0.04, 6);
    // Second: buf = 0.9 g + 0.5 g = 1.4 g.
    opt.apply([a, b], [grads[0], grads[1]]);
    expect(b.dataSync()[0]).toBeCloseTo(0.52 + 0.1 * 0.2 * 1.4, 6);
    opt.dispose();
    tf.dispose([a, b]);
  });

  for (const make of [
    () => new Adam({ lr: 0.05, amsgrad: true }),
    () => new AdamW({ lr: 0.05 }),
    () => new SGD({ lr: 0.1, momentum: 0.9, dampening: 0.1 }),
    () => new RMSprop({ lr: 0.01, momentum: 0.5, centered: true }),
  ] as (() => Optimizer)[]) {
    it(`${make().name}: a resumed state (per-variable steps and slots) continues exactly`, async () => {
      const run = make();
      const x = vars();
      for (let i = 0; i < 3; i++) run.apply([x[0]], [grads[0]]);
      run.apply(x, grads);
      const state = JSON.parse(JSON.stringify(await run.getState(x)));
      const resumed = make();
      const y = x.map((v) => tf.variable(tf.clone(v)));
      resumed.setState(state, y);
      expect(resumed.stepOf(y[0])).toBe(4);
      expect(resumed.stepOf(y[1])).toBe(1);
      for (let i = 0; i < 3; i++) {
        run.apply(x, grads);
        resumed.apply(y, grads);
      }
      expect(values(y)).toEqual(values(x));
      run.dispose();
      resumed.dispose();
      tf.dispose([...x, ...y]);
    });
  }

  it('reads a state saved before per-variable steps: every variable with slots took `step` steps', () => {
    const opt = new Adam({ lr: 0.01 });
    const [a, b] = vars();
    const zeros = { shape: [2], values: [0, 0] };
    opt.setState({ name: 'adam', lr: 0.01, step: 5, slots: { 0: { m: zeros, v: zeros } } }, [a, b]);
    expect(opt.stepOf(a)).toBe(5);
    expect(opt.stepOf(b)).toBe(0);
    opt.dispose();
    tf.dispose([a, b]);
  });

  it("refuses a slot whose shape is not its variable's, naming it", () => {
    const opt = new Adam();
    const [a] = vars();
    expect(() => opt.setState({ name: 'adam', lr: 0.01, step: 1, slots: { 0: { m: { shape: [3], values: [0, 0, 0] } } } }, [a])).toThrow(
      /slot m of variable 0 has shape \[3\], expected \[2\]/,
    );
    a.dispose();
  });

  it('setState disposes the slots it replaces: no tensor leaks across repeated resumes (defect 8)', async () => {
    const x = vars();
    const source = new Adam({ lr: 0.01 });
    source.apply(x, grads);
    const state = await source.getState(x);
    const opt = new Adam({ lr: 0.01 });
    opt.setState(state, x);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      opt.setState(state, x);
      const fresh = new Adam({ lr: 0.01 });
      fresh.setState(state, x);
      fresh.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    source.dispose();
    tf.dispose(x);
  });
});

describe('createOptimizer', () => {
  it('passes every option through and refuses one the optimizer lacks, naming it', () => {
    const adam = createOptimizer({ name: 'adam', amsgrad: true, betas: [0.8, 0.99], eps: 1e-6 }) as Adam;
    expect([adam.amsgrad, adam.betas, adam.eps]).toEqual([true, [0.8, 0.99], 1e-6]);
    const rms = createOptimizer({ name: 'rmsprop', centered: true, alpha: 0.9 }) as RMSprop;
    expect([rms.centered, rms.alpha]).toEqual([true, 0.9]);
    const sgd = createOptimizer({ name: 'sgd', momentum: 0.9, dampening: 0.1, maximize: true }) as SGD;
    expect([sgd.momentum, sgd.dampening, sgd.maximize]).toEqual([0.9, 0.1, true]);
    // A neutral value of an option it lacks is accepted (the CLI passes momentum 0 to every optimizer).
    expect(createOptimizer({ name: 'adam', momentum: 0 }).name).toBe('adam');
    expect(() => createOptimizer({ name: 'adam', momentum: 0.9 })).toThrow(/optimizer.momentum: adam has no such option/);
  });
});

describe("option checks, as torch.optim's constructors check them (and each option's type)", () => {
  // A config as a user's JSON or a flag parser gives it: any value in any field.
  const config = (c: Record<string, unknown>) => c as unknown as OptimizerConfig;
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ name: 'adam', eps: -1 }, /^optimizer\.eps: expected a finite number >= 0, got -1$/],
    [{ name: 'rmsprop', eps: -1e-8 }, /^optimizer\.eps: expected a finite number >= 0, got -1e-8$/],
    [{ name: 'adam', amsgrad: 'yes' }, /^optimizer\.amsgrad: expected true or false, got "yes" \(a string\)$/],
    [{ name: 'sgd', lr: '0.01' }, /^optimizer\.lr: expected a finite number >= 0, got "0\.01" \(a string\)$/],
    [{ name: 'adam', lr: -0.001 }, /^optimizer\.lr: expected a finite number >= 0, got -0\.001$/],
    [{ name: 'adam', lr: Number.NaN }, /^optimizer\.lr: expected a finite number >= 0, got NaN$/],
    [{ name: 'adamw', betas: [0.9, 1] }, /^optimizer\.betas\[1\]: expected a number in \[0, 1\), got 1$/],
    [{ name: 'adam', betas: [-0.1, 0.999] }, /^optimizer\.betas\[0\]: expected a number in \[0, 1\), got -0\.1$/],
    [{ name: 'adam', betas: [0.9] }, /^optimizer\.betas: expected \[beta1, beta2\], two numbers in \[0, 1\), got \[0\.9\]$/],
    [{ name: 'adam', betas: '0.9,0.999' }, /^optimizer\.betas: expected \[beta1, beta2\], two numbers in \[0, 1\), got "0\.9,0\.999" \(a string\)$/],
    [{ name: 'adam', betas: [0.9, '0.999'] }, /^optimizer\.betas\[1\]: expected a number in \[0, 1\), got "0\.999" \(a string\)$/],
    [{ name: 'sgd', lr: 0.1, momentum: -0.5 }, /^optimizer\.momentum: expected a finite number >= 0, got -0\.5$/],
    [{ name: 'rmsprop', momentum: '0.9' }, /^optimizer\.momentum: expected a finite number >= 0, got "0\.9" \(a string\)$/],
    [{ name: 'adam', weightDecay: -1 }, /^optimizer\.weightDecay: expected a finite number >= 0, got -1$/],
    [{ name: 'sgd', weightDecay: -0.01 }, /^optimizer\.weightDecay: expected a finite number >= 0, got -0\.01$/],
    [{ name: 'rmsprop', alpha: -0.9 }, /^optimizer\.alpha: expected a finite number >= 0, got -0\.9$/],
    [{ name: 'rmsprop', centered: 1 }, /^optimizer\.centered: expected true or false, got 1$/],
    [{ name: 'sgd', maximize: 'no' }, /^optimizer\.maximize: expected true or false, got "no" \(a string\)$/],
    [{ name: 'sgd', dampening: Number.NaN }, /^optimizer\.dampening: expected a finite number, got NaN$/],
    [{ name: 'sgd', nesterov: true }, /^optimizer\.nesterov: needs momentum > 0 and dampening 0 \(got momentum 0, dampening 0\)$/],
    [
      { name: 'sgd', nesterov: true, momentum: 0.9, dampening: 0.1 },
      /^optimizer\.nesterov: needs momentum > 0 and dampening 0 \(got momentum 0\.9, dampening 0\.1\)$/,
    ],
    [{ name: 'sgd', nesterov: 'true', momentum: 0.9 }, /^optimizer\.nesterov: expected true or false, got "true" \(a string\)$/],
  ];
  for (const [c, message] of refused) {
    const shown = Object.entries(c).map(([k, v]) => `${k}: ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
    it(`refuses { ${shown.join(', ')} } in one line naming the field`, () => {
      expect(() => createOptimizer(config(c))).toThrow(message);
    });
  }

  it('takes lr 0 as torch does, and the classes check their options the same way', () => {
    expect(createOptimizer({ name: 'sgd', lr: 0 }).lr).toBe(0);
    expect(new Adam({ lr: 0 }).lr).toBe(0);
    expect(() => new Adam({ eps: -1 })).toThrow(/^eps: expected a finite number >= 0, got -1$/);
    expect(() => new SGD({ lr: '0.01' as unknown as number })).toThrow(/^lr: expected a finite number >= 0, got "0\.01" \(a string\)$/);
    expect(() => new AdamW({ amsgrad: 'yes' as unknown as boolean })).toThrow(/^amsgrad: expected true or false, got "yes" \(a string\)$/);
    expect(() => new RMSprop({ eps: -1 })).toThrow(/^eps: expected a finite number >= 0, got -1$/);
    expect(() => new RMSprop({ weightDecay: -1 })).toThrow(/^weightDecay: expected a finite number >= 0, got -1$/);
    expect(() => new SGD({ lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.5 })).toThrow(/^nesterov: needs momentum > 0 and dampening 0/);
  });

  const python = '/usr/bin/python3';
  let hasTorch = false;
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    hasTorch = true;
  } catch {
    hasTorch = false;
  }
  // CI installs Debian's python3-torch; there the test must run (no silent skip).
  it.runIf(hasTorch || process.env.CI)('refuses, by range, what torch.optim refuses, and takes what it takes at the edges', () => {
    // [torch constructor, its keyword arguments, ours]
    const cases: [string, string, OptimizerConfig][] = [
      ['Adam', 'eps=-1', { name: 'adam', eps: -1 }],
      ['RMSprop', 'eps=-1', { name: 'rmsprop', eps: -1 }],
      ['Adam', 'lr=-0.001', { name: 'adam', lr: -0.001 }],
      ['AdamW', 'betas=(0.9, 1.0)', { name: 'adamw', betas: [0.9, 1] }],
      ['Adam', 'betas=(-0.1, 0.999)', { name: 'adam', betas: [-0.1, 0.999] }],
      ['SGD', 'lr=0.1, momentum=-0.5', { name: 'sgd', lr: 0.1, momentum: -0.5 }],
      ['Adam', 'weight_decay=-1', { name: 'adam', weightDecay: -1 }],
      ['RMSprop', 'alpha=-0.9', { name: 'rmsprop', alpha: -0.9 }],
      ['SGD', 'lr=0.1, nesterov=True', { name: 'sgd', lr: 0.1, nesterov: true }],
      ['SGD', 'lr=0.1, momentum=0.9, dampening=0.1, nesterov=True', { name: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }],
      ['SGD', 'lr=0', { name: 'sgd', lr: 0 }],
      ['Adam', 'lr=0, eps=0, betas=(0.0, 0.0), weight_decay=0', { name: 'adam', lr: 0, eps: 0, betas: [0, 0], weightDecay: 0 }],
      ['RMSprop', 'alpha=0, momentum=0, eps=0', { name: 'rmsprop', alpha: 0, momentum: 0, eps: 0 }],
      ['SGD', 'lr=0.1, momentum=0.9, nesterov=True', { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }],
    ];
    const script = [
      'import json, sys, torch',
      'p = [torch.nn.Parameter(torch.zeros(2))]',
      'out = []',
      'for ctor, kw in json.loads(sys.argv[1]):',
      '    try:',
      '        eval(f"torch.optim.{ctor}(p, {kw})")',
      '        out.append(True)',
      '    except ValueError:',
      '        out.append(False)',
      'print(json.dumps(out))',
    ].join('\n');
    const torchTakes = JSON.parse(execFileSync(python, ['-c', script, JSON.stringify(cases.map(([c, kw]) => [c, kw]))], { encoding: 'utf8' })) as boolean[];
    const weTake = cases.map(([, , c]) => {
      try {
        createOptimizer(c);
        return true;
      } catch {
        return false;
      }
    });
    expect(weTake).toEqual(torchTakes);
    expect(torchTakes.filter((t) => t)).toHaveLength(4);
  });
});
