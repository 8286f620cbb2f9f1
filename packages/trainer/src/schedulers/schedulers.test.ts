import { describe, expect, it, vi } from 'vitest';
import type { TrainerControl } from '../callbacks/callback';
import { Adam } from '../optimizers/adam';
import { SGD } from '../optimizers/sgd';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine-annealing-lr';
import { LinearWarmup } from './linear-warmup';
import { OneCycleLR } from './one-cycle-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { ExponentialLR, LinearLR, MultiStepLR, StepLR } from './step-lr';

// Expected values were computed independently (Python, float64) from PyTorch's documented formulas
// and its OneCycleLR phase algorithm.
const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));

function control(lr = 0.1, stepsPerEpoch = 10, epochs = 3): TrainerControl & { step: number; lr: number } {
  const c = {
    model: undefined as never,
    stopTraining: false,
    lr,
    step: 0,
    getLearningRate: () => c.lr,
    setLearningRate: (v: number) => {
      c.lr = v;
    },
    baseLearningRate: lr,
    epochs,
    stepsPerEpoch,
    get globalStep() {
      return c.step;
    },
    history: [],
    saveCheckpoint: async () => {},
  };
  return c as unknown as TrainerControl & { step: number; lr: number };
}

describe('epoch schedules (PyTorch values)', () => {
  it('StepLR, MultiStepLR, ExponentialLR, LinearLR', () => {
    close(
      [0, 1, 2, 3, 4].map((e) => new StepLR({ stepSize: 2, gamma: 0.1 }).lrAt(e, 0.1)),
      [0.1, 0.1, 0.01, 0.01, 0.001],
    );
    close(
      [0, 1, 2, 3, 4, 5].map((e) => new MultiStepLR({ milestones: [4, 2] }).lrAt(e, 1)),
      [1, 1, 0.1, 0.1, 0.01, 0.01],
    );
    close(
      [0, 1, 2].map((e) => new ExponentialLR({ gamma: 0.5 }).lrAt(e, 0.2)),
      [0.2, 0.1, 0.05],
    );
    close(
      [0, 1, 2, 3, 4, 5, 6].map((e) => new LinearLR({ startFactor: 0.5, totalIters: 4 }).lrAt(e, 0.1)),
      [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1, 0.1],
    );
  });

  it('CosineAnnealingLR and warm restarts', () => {
    // torch: CosineAnnealingLR(opt(lr=0.1), T_max=4, eta_min=0.001)
    close(
      [0, 1, 2, 3, 4].map((e) => new CosineAnnealingLR({ tMax: 4, etaMin: 0.001 }).lrAt(e, 0.1)),
      [0.1, 0.0855017856687341, 0.0505, 0.0154982143312659, 0.001],
    );
    const sgdr = new CosineAnnealingWarmRestarts({ t0: 2, tMult: 2 });
    // Restarts at epochs 2 and 6.
    close(
      [0, 1, 2, 4, 6, 7].map((e) => sgdr.lrAt(e, 1)),
      [1, 0.5, 1, 0.5, 1, 0.9619397662556434],
    );
  });
});

describe('OneCycleLR (PyTorch values)', () => {
  it('matches torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=10)', () => {
    const oc = new OneCycleLR({ maxLr: 0.1 });
    const lrs = Array.from({ length: 10 }, (_, s) => oc.lrAtStep(s, 10));
    close(
      lrs,
      [0.004, 0.052, 0.1, 0.09504846320134738, 0.0811745653949763, 0.06112620219362893, 0.03887419780637107, 0.0188258346050237, 0.004951936798652629, 4e-7],
    );
  });
});

describe('ReduceLROnPlateau', () => {
  it('cuts the rate after more than `patience` bad epochs (PyTorch), then cools down', () => {
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, cooldown: 1 });
    const c = control(1);
    cb.setTrainer(c);
    const lrs: number[] = [];
    [1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1].forEach((v, e) => {
      cb.onEpochEnd(e, { val_loss: v });
      lrs.push(c.lr);
    });
    // bad epochs: e2, e3, e4 (> patience 2: reduce); e5 is in cooldown; e6, e7 count 1, 2.
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    cb.onEpochEnd(8, { val_loss: 1 });
    expect(c.lr).toBe(0.25);
  });
});

describe('LinearWarmup', () => {
  it('ramps linearly over the first steps, then leaves the scheduled rate', () => {
    const cb = new LinearWarmup({ warmupSteps: 4 });
    const c = control(0.1);
    cb.setTrainer(c);
    const lrs: number[] = [];
    for (let s = 0; s < 6; s++) {
      c.step = s;
      cb.onBatchBegin();
      lrs.push(c.lr);
    }
    close(lrs, [0.025, 0.05, 0.075, 0.1, 0.1, 0.1]);
  });
});

describe('interval: per epoch (default) or per optimizer step', () => {
  it('CosineAnnealingLR with interval "step" anneals within an epoch; the default waits for the next epoch', () => {
    const perStep = new CosineAnnealingLR({ tMax: 4, interval: 'step' });
    const perEpoch = new CosineAnnealingLR({ tMax: 4 });
    const c = control(0.1, 4, 1);
    const seen: number[][] = [];
    for (const cb of [perStep, perEpoch]) {
      cb.setTrainer(c);
      c.lr = 0.1;
      cb.onEpochBegin(0);
      const lrs: number[] = [];
      for (let s = 0; s < 4; s++) {
        c.step = s;
        cb.onBatchBegin(s);
        lrs.push(c.lr);
      }
      seen.push(lrs);
    }
    close(seen[0], [0.1, 0.08535533905932738, 0.05, 0.014644660940672627]);
    close(seen[1], [0.1, 0.1, 0.1, 0.1]);
  });

  it('refuses an unknown interval, naming the schedule', () => {
    expect(() => new StepLR({ stepSize: 1, interval: 'batch' as 'step' })).toThrow(/StepLR.interval: expected 'epoch' or 'step', got "batch"/);
  });
});

describe('OneCycleLR momentum (PyTorch values)', () => {
  // torch 1.13: OneCycleLR(SGD(momentum=0.9), max_lr=0.1, total_steps=10), momentum per step.
  const torchMomentum = [
    0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842, 0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95,
  ];

  it('cycles SGD momentum and Adam beta1 inversely to the rate', () => {
    for (const optimizer of [new SGD({ lr: 0.01, momentum: 0.9 }), new Adam()]) {
      const c = Object.assign(control(0.01, 10, 1), { optimizer });
      const oc = new OneCycleLR({ maxLr: 0.1 });
      oc.setTrainer(c);
      const seen: number[] = [];
      for (let s = 0; s < 10; s++) {
        c.step = s;
        oc.onBatchBegin();
        seen.push(optimizer.getMomentum());
      }
      close(seen, torchMomentum);
    }
  });

  it('warns once and leaves the momentum when the trainer exposes no optimizer', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const oc = new OneCycleLR({ maxLr: 0.1 });
    oc.setTrainer(control(0.01, 10, 1));
    oc.onBatchBegin();
    oc.onBatchBegin();
    expect(warn.mock.calls.length).toBeLessThanOrEqual(1);
    warn.mockRestore();
  });

  it('refuses bad options, naming them', () => {
    expect(() => new OneCycleLR({ maxLr: 0.1, pctStart: 1.5 })).toThrow(/OneCycleLR.pctStart/);
    expect(() => new OneCycleLR({ maxLr: 0.1, annealStrategy: 'exp' as 'cos' })).toThrow(/OneCycleLR.annealStrategy/);
    expect(() => new OneCycleLR({ maxLr: 0.1, totalSteps: 0 })).toThrow(/OneCycleLR.totalSteps/);
    expect(() => new OneCycleLR({ maxLr: 0.1, interval: 'epoch' as 'step' })).toThrow(/OneCycleLR.interval: it moves before every batch; expected 'step'/);
    expect(new OneCycleLR({ maxLr: 0.1, interval: 'step' }).interval).toBe('step');
  });
});

describe('ReduceLROnPlateau and NaN', () => {
  it('counts a NaN first value as a bad epoch (best starts at the worst value, as in PyTorch)', () => {
    const cb = new ReduceLROnPlateau({ patience: 0, factor: 0.5 });
    const c = control(1);
    cb.setTrainer(c);
    cb.onEpochEnd(0, { val_loss: Number.NaN });
    expect(c.lr).toBe(0.5);
    cb.onEpochEnd(1, { val_loss: 1 });
    expect(c.lr).toBe(0.5);
  });
});
