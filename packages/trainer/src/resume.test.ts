import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compose, DataLoader, RandomCrop, RandomHorizontalFlip } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback } from './callbacks/callback';
import { EarlyStopping } from './callbacks/early-stopping';
import { ModelCheckpoint } from './callbacks/model-checkpoint';
import { OverfittingMonitor } from './callbacks/overfitting-monitor';
import { fit } from './fit';
import { OneCycleLR } from './schedulers/one-cycle-lr';
import { StepLR } from './schedulers/step-lr';
import { type FaultRunResult, faultRun, type KillPoint } from './test-utils/fault-run';
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

const here = dirname(fileURLToPath(import.meta.url));
const data = toyDataset(96);
const val = toyDataset(40, 99);
const model = (seed = 3) => mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed });
const loader = (seed = 5, batchSize = 16) => new DataLoader(data, { batchSize, seed });
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** Throws at the start of epoch `at`, like a crash right after the previous epoch's checkpoint. */
class CrashAt extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  constructor(private readonly at: number) {
    super();
  }
  onEpochBegin(epoch: number): void {
    if (epoch === this.at) throw new Error('crash');
  }
}

describe('resume with every callback', () => {
  const run = async (dir: string, crashAt?: number, resume = false) => {
    const m = model(resume ? 99 : 3);
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 1e-3, restoreBestWeights: true });
    const monitor = new OverfittingMonitor();
    // ModelCheckpoint before early stopping: its checkpoint must still hold early stopping's view of the epoch.
    const callbacks = [new ModelCheckpoint({ dir }), new StepLR({ stepSize: 3, gamma: 0.5 }), es, monitor, new CrashAt(crashAt ?? -1)];
    const history = await fit(m, loader(), {
      epochs: 40,
      seed: 5,
      optimizer: { name: 'adam', lr: 0.08 },
      validation: val,
      callbacks,
      resumeFrom: resume ? dir : undefined,
    });
    return { history, es, monitor, weights: m.getWeights().map((w) => Array.from(w.dataSync())) };
  };

  it('ends where the uninterrupted run ends: same epochs, stopping epoch, final loss and restored best weights', async () => {
    const full = await run(tmp('full'));
    expect(full.history.stopReason).toBe('callback');
    const stopped = full.history.epochs.length;
    expect(stopped).toBeLessThan(40);
    // Crash after each epoch but the last, including while early stopping is counting bad epochs.
    for (let crashAt = 1; crashAt < stopped; crashAt++) {
      const dir = tmp('crash');
      await expect(run(dir, crashAt)).rejects.toThrow('crash');
      const resumed = await run(dir, undefined, true);
      expect(
        resumed.history.epochs.map((e) => e.loss),
        `crash at ${crashAt}`,
      ).toEqual(full.history.epochs.map((e) => e.loss));
      expect(resumed.es.stoppedEpoch).toBe(full.es.stoppedEpoch);
      expect(resumed.es.bestEpoch).toBe(full.es.bestEpoch);
      expect(resumed.monitor.gaps).toEqual(full.monitor.gaps);
      expect(resumed.weights, `weights after a crash at ${crashAt}`).toEqual(full.weights);
    }
  });

  it('does not train on when the checkpoint was written as early stopping stopped the run', async () => {
    const full = await run(tmp('full'));
    const dir = tmp('stopped');
    await run(dir);
    const again = await run(dir, undefined, true);
    expect(again.history.epochs.length).toBe(full.history.epochs.length);
    expect(again.weights).toEqual(full.weights);
  });
});

describe('fault injection: SIGKILL, then resume', () => {
  let full: FaultRunResult;
  beforeAll(async () => {
    full = await faultRun(tmp('fault-full'));
  });

  const killChild = (dir: string, point: KillPoint) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'test-utils', 'fault-child.ts'), dir, JSON.stringify(point)],
        { cwd: here, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code ?? signal} instead of being killed: ${stderr}`)),
      );
    });

  const points: KillPoint[] = [
    { at: 'batch', epoch: 2, batch: 3 },
    { at: 'after-checkpoint', epoch: 1 },
    { at: 'after-checkpoint', epoch: 3 },
    { at: 'validation', epoch: 2 },
  ];
  for (const point of points) {
    it(`killed at ${JSON.stringify(point)}: the resumed run ends with the uninterrupted run's loss, stopping epoch and weights`, async () => {
      expect(full.history.stopReason).toBe('callback');
      expect(full.stoppedEpoch).toBeGreaterThan(point.epoch);
      const dir = tmp('fault');
      await killChild(dir, point);
      const resumed = await faultRun(dir, { resume: true });
      expect(resumed.history.epochs.map((e) => e.loss)).toEqual(full.history.epochs.map((e) => e.loss));
      expect(resumed.history.epochs.at(-1)?.val_loss).toBe(full.history.epochs.at(-1)?.val_loss);
      expect(resumed.stoppedEpoch).toBe(full.stoppedEpoch);
      expect(resumed.bestEpoch).toBe(full.bestEpoch);
      expect(resumed.gaps).toEqual(full.gaps);
      expect(resumed.weights).toEqual(full.weights);
    }, 60_000);
  }
});

describe('a checkpoint belongs to its run', () => {
  const base = { epochs: 3, seed: 5, optimizer: { name: 'adam' as const, lr: 0.01 } };
  let dir: string;
  beforeAll(async () => {
    dir = tmp('owner');
    await fit(model(), loader(), { ...base, callbacks: [new ModelCheckpoint({ dir })] });
  });

  it('refuses another seed, batch size, training set, model, optimizer or loss, naming the field', async () => {
    const resume = (m: ReturnType<typeof model>, l: DataLoader, extra: Parameters<typeof fit>[2] = {}) =>
      fit(m, l, { ...base, epochs: 4, callbacks: [new ModelCheckpoint({ dir: tmp('other') })], resumeFrom: dir, ...extra });
    await expect(resume(model(), loader(), { seed: 6 })).rejects.toThrow(/belongs to another run: seed was 5, this run has 6/);
    await expect(resume(model(), loader(5, 32))).rejects.toThrow(/training data batchSize was 16, this run has 32/);
    const relabelled = toyDataset(96);
    [relabelled.labels[0], relabelled.labels[1]] = [relabelled.labels[1], relabelled.labels[0]];
    await expect(resume(model(), new DataLoader(relabelled, { batchSize: 16, seed: 5 }))).rejects.toThrow(/training data labels/);
    await expect(resume(model(), new DataLoader(toyDataset(80), { batchSize: 16, seed: 5 }))).rejects.toThrow(/training data count was 96, this run has 80/);
    await expect(resume(mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.5, seed: 3 }), loader())).rejects.toThrow(
      /model \(layer \d\) was "Dropout {\\"rate\\":0.2/,
    );
    await expect(resume(model(), loader(), { optimizer: { name: 'adam', lr: 0.02 } })).rejects.toThrow(/optimizer was "lr=0.01/);
    await expect(resume(model(), loader(), { labelSmoothing: 0.1 })).rejects.toThrow(/labelSmoothing was 0, this run has 0.1/);
    // Another loss on this 4-class model is refused before the checkpoint is read.
    await expect(resume(model(), loader(), { loss: 'binaryCrossentropy' })).rejects.toThrow(/binaryCrossentropy takes one logit and two classes/);
  });

  it("refuses another augmentation's parameters or a callback that changes the numbers; watching callbacks may come and go", async () => {
    const augmented = (padding: number, flip = true) =>
      new DataLoader(data, {
        batchSize: 16,
        seed: 5,
        transform: new Compose([...(flip ? [new RandomHorizontalFlip()] : []), new RandomCrop({ size: 8, padding })]),
      });
    const first = tmp('augmented');
    await fit(model(), augmented(1), { ...base, epochs: 2, callbacks: [new StepLR({ stepSize: 1, gamma: 0.5 }), new ModelCheckpoint({ dir: first })] });
    const resume = (l: DataLoader, callbacks: Callback[]) => fit(model(), l, { ...base, callbacks, resumeFrom: first });
    const schedule = () => new StepLR({ stepSize: 1, gamma: 0.5 });
    // Same class names (Compose, RandomCrop), other parameters.
    await expect(resume(augmented(2), [schedule()])).rejects.toThrow(
      /training data transform was "Compose\(transforms=\[RandomHorizontalFlip\(p=0.5\),RandomCrop\(/,
    );
    await expect(resume(augmented(1, false), [schedule()])).rejects.toThrow(/training data transform/);
    await expect(resume(augmented(1), [new StepLR({ stepSize: 1, gamma: 0.1 })])).rejects.toThrow(/callbacks\[0\] was "StepLR\(.*gamma=0.5/);
    await expect(resume(augmented(1), [schedule(), new EarlyStopping({ patience: 1, monitor: 'loss' })])).rejects.toThrow(
      /callbacks\[1\] was "none", this run has "EarlyStopping\(/,
    );
    await expect(resume(augmented(1), [])).rejects.toThrow(/callbacks\[0\] was "StepLR/);
    // Loggers, progress, checkpoints and monitors only watch: adding them is no other run.
    const history = await resume(augmented(1), [new OverfittingMonitor(), schedule(), new ModelCheckpoint({ dir: tmp('watch') })]);
    expect(history.epochs).toHaveLength(3);
  });

  it('refuses other epochs when a schedule spans the run (OneCycleLR), as torch refuses stepping past total_steps', async () => {
    const cycled = tmp('cycled');
    const cycle = () => new OneCycleLR({ maxLr: 0.05 });
    await fit(model(), loader(), { ...base, epochs: 2, callbacks: [cycle(), new ModelCheckpoint({ dir: cycled })] });
    await expect(fit(model(), loader(), { ...base, epochs: 4, callbacks: [cycle()], resumeFrom: cycled })).rejects.toThrow(
      /epochs was 2, this run has 4, and a callback's schedule spans the run's epochs/,
    );
    // With totalSteps the cycle does not depend on the epoch count: training further is allowed.
    const fixed = tmp('fixed');
    const steps = () => new OneCycleLR({ maxLr: 0.05, totalSteps: 24 });
    await fit(model(), loader(), { ...base, epochs: 2, callbacks: [steps(), new ModelCheckpoint({ dir: fixed })] });
    const further = await fit(model(), loader(), { ...base, epochs: 4, callbacks: [steps()], resumeFrom: fixed });
    expect(further.epochs).toHaveLength(4);
  });

  it('lets a run train further with more epochs, as Keras does', async () => {
    const further = await fit(model(), loader(), { ...base, epochs: 5, callbacks: [new ModelCheckpoint({ dir: tmp('further') })], resumeFrom: dir });
    const straight = await fit(model(), loader(), { ...base, epochs: 5 });
    expect(further.epochs.map((e) => e.loss)).toEqual(straight.epochs.map((e) => e.loss));
  });
});

describe('optimizers made by fit', () => {
  it('are disposed: four fits with a named optimizer leave only the models they trained', async () => {
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = tf.memory().numTensors;
      const m = model(i);
      const weights = m.weights.length;
      await fit(m, loader(), { epochs: 1, optimizer: 'adam', validation: val, callbacks: [new EarlyStopping({ patience: 5, restoreBestWeights: true })] });
      await fit(m, loader(), { epochs: 1, optimizer: { name: 'sgd', momentum: 0.9 } });
      // tfjs-layers keeps one tensor per model from its first forward pass.
      counts.push(tf.memory().numTensors - before - weights);
      m.dispose();
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(1);
  });
});

describe('dropout streams', () => {
  it('two fits at once in one process train exactly as each does alone', async () => {
    const alone = async (seed: number) => (await fit(model(), loader(), { epochs: 2, seed, optimizer: 'sgd' })).epochs.map((e) => e.loss);
    const a = await alone(1);
    const b = await alone(2);
    const [x, y] = await Promise.all([alone(1), alone(2)]);
    expect(x).toEqual(a);
    expect(y).toEqual(b);
  });
});
