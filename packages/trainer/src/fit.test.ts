import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback, type Logs } from './callbacks/callback';
import { CSVLogger } from './callbacks/csv-logger';
import { EarlyStopping } from './callbacks/early-stopping';
import { ModelCheckpoint } from './callbacks/model-checkpoint';
import { OverfittingMonitor } from './callbacks/overfitting-monitor';
import { TerminateOnNaN } from './callbacks/terminate-on-nan';
import { evaluate } from './evaluate';
import { fit } from './fit';
import { StepLR } from './schedulers/step-lr';
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

const here = dirname(fileURLToPath(import.meta.url));
const data = toyDataset(96);
const val = toyDataset(40, 99);
const model = (seed = 3) => mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed });
const loader = (seed = 5) => new DataLoader(data, { batchSize: 16, seed });

describe('fit', () => {
  it('learns, validates each epoch, applies schedules and logs Keras names', async () => {
    const m = model();
    const monitor = new OverfittingMonitor();
    const history = await fit(m, loader(), {
      epochs: 6,
      optimizer: { name: 'adam', lr: 0.01 },
      validation: new DataLoader(val, { batchSize: 64, shuffle: false }),
      callbacks: [new StepLR({ stepSize: 2, gamma: 0.5 }), monitor],
    });
    expect(history.stopReason).toBe('completed');
    expect(history.epochs).toHaveLength(6);
    const last = history.epochs[5];
    expect(Object.keys(last)).toEqual(expect.arrayContaining(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'imagesPerSecond']));
    expect(last.loss).toBeLessThan(history.epochs[0].loss);
    expect(last.val_accuracy).toBeGreaterThan(0.9);
    expect(history.epochs.map((e) => e.lr)).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025]);
    expect(monitor.report().gaps).toHaveLength(6);
  });

  it('is deterministic: the same seed gives the same history bit for bit', async () => {
    const run = async () => (await fit(model(), loader(), { epochs: 3, seed: 11, optimizer: 'sgd' })).epochs.map((e) => [e.loss, e.accuracy]);
    const a = await run();
    expect(await run()).toEqual(a);
    const c = (await fit(model(), loader(), { epochs: 3, seed: 12, optimizer: 'sgd' })).epochs.map((e) => [e.loss, e.accuracy]);
    expect(c).not.toEqual(a);
  });

  it('stops early on a plateau and restores the best weights', async () => {
    const m = model();
    // A learning rate so high that validation loss soon gets worse.
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
    let bestWeights: number[] = [];
    class Spy extends Callback {
      onEpochEnd(epoch: number, logs: Logs) {
        if (epoch === es.bestEpoch) bestWeights = Array.from(m.getWeights()[0].dataSync());
        void logs;
      }
    }
    const history = await fit(m, loader(), { epochs: 30, optimizer: { name: 'sgd', lr: 3 }, validation: val, callbacks: [es, new Spy()] });
    expect(history.stopReason).toBe('callback');
    expect(history.epochs.length).toBeLessThan(30);
    expect(es.stoppedEpoch).toBe(history.epochs.length - 1);
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual(bestWeights);
  });

  it('terminates on NaN', async () => {
    const nan = new TerminateOnNaN();
    const history = await fit(model(), loader(), { epochs: 2, optimizer: { name: 'sgd', lr: 1e30 }, callbacks: [nan] });
    expect(history.stopReason).toBe('callback');
    expect(nan.stoppedAt).toBeGreaterThanOrEqual(0);
  });

  it('writes a CSV log', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csv-')), 'log.csv');
    await fit(model(), loader(), { epochs: 2, callbacks: [new CSVLogger({ path })] });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split(',')).toEqual(['epoch', 'accuracy', 'imagesPerSecond', 'loss', 'lr', 'seconds']);
  });

  it('leaks no tensors over many steps', async () => {
    const m = model();
    await fit(m, loader(), { epochs: 1 });
    const before = tf.memory().numTensors;
    const opt = (await import('./optimizers/adam')).Adam;
    const o = new opt({ lr: 1e-3 });
    await fit(m, loader(), { epochs: 3, optimizer: o, validation: val });
    o.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options with the field name', async () => {
    await expect(fit(model(), loader(), { epochs: 0 })).rejects.toThrow(/epochs: expected a positive integer, got 0/);
    await expect(fit(model(), loader(), { labelSmoothing: 1 })).rejects.toThrow(/labelSmoothing/);
    await expect(fit(model(), new DataLoader(data, { layout: 'image' }))).rejects.toThrow(/data layout 'image' does not match the model's 'flat' inputs/);
    await expect(fit(model(), loader(), { optimizer: 'lion' as 'sgd' })).rejects.toThrow(/optimizer: expected one of sgd, adam, adamw, rmsprop/);
  });
});

describe('checkpoints and resume', () => {
  const train = (m: ReturnType<typeof model>, epochs: number, extra: Parameters<typeof fit>[2] = {}) =>
    fit(m, loader(), { epochs, seed: 5, optimizer: { name: 'adam', lr: 0.01 }, ...extra });

  it('resumes from a checkpoint exactly as if never stopped', async () => {
    const full = model();
    const fullHistory = await train(full, 4);
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    // A crash at the start of epoch 2, after epoch 1's checkpoint.
    class CrashAt2 extends Callback {
      readonly observesOnly = true; // a fault injector, not part of the run
      onEpochBegin(epoch: number) {
        if (epoch === 2) throw new Error('crash');
      }
    }
    await expect(train(model(), 4, { callbacks: [new ModelCheckpoint({ dir }), new CrashAt2()] })).rejects.toThrow('crash');
    expect(existsSync(join(dir, 'last', 'model.json'))).toBe(true);
    const resumed = model(99); // different initial weights: all must come from the checkpoint
    const history = await train(resumed, 4, { resumeFrom: dir });
    expect(history.epochs.map((e) => e.loss)).toEqual(fullHistory.epochs.map((e) => e.loss));
    expect(Array.from(resumed.getWeights()[0].dataSync())).toEqual(Array.from(full.getWeights()[0].dataSync()));
  });

  it('continues a run killed with SIGKILL as if it had not stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kill-'));
    const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'test-utils', 'train-child.ts'), dir], {
      cwd: here,
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const path = join(dir, 'checkpoint.json');
        if (existsSync(path) && JSON.parse(readFileSync(path, 'utf8')).state.epoch >= 2) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== null) reject(new Error(`child exited with ${code} before it could be killed`));
      });
    });
    const full = model();
    const fullHistory = await fit(full, loader(), { epochs: 6, seed: 5, optimizer: { name: 'adam', lr: 0.01 } });
    const resumed = model(99);
    const history = await fit(resumed, loader(), { epochs: 6, seed: 5, optimizer: { name: 'adam', lr: 0.01 }, resumeFrom: dir });
    expect(history.epochs.map((e) => e.loss)).toEqual(fullHistory.epochs.map((e) => e.loss));
    expect(Array.from(resumed.getWeights()[2].dataSync())).toEqual(Array.from(full.getWeights()[2].dataSync()));
  }, 60_000);

  it('says clearly when there is nothing to resume', async () => {
    await expect(train(model(), 1, { resumeFrom: mkdtempSync(join(tmpdir(), 'none-')) })).rejects.toThrow(/no checkpoint\.json to resume from/);
  });
});

describe('evaluate', () => {
  it('returns accuracy, top-k, the confusion matrix and per-class metrics', async () => {
    const m = model();
    await fit(m, loader(), { epochs: 5, optimizer: { name: 'adam', lr: 0.01 } });
    const result = await evaluate(m, new DataLoader(val, { batchSize: 16, shuffle: false }), { topK: [1, 2] });
    expect(result.count).toBe(40);
    expect(result.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(40);
    const diag = result.confusionMatrix.reduce((a, row, i) => a + row[i], 0);
    expect(result.accuracy).toBeCloseTo(diag / 40, 10);
    expect(result.topK[1]).toBeCloseTo(result.accuracy, 10);
    expect(result.topK[2]).toBeGreaterThanOrEqual(result.topK[1]);
    expect(result.perClass.map((c) => c.support)).toEqual([10, 10, 10, 10]);
    for (const c of result.perClass) expect(c.f1).toBeLessThanOrEqual(1);
    expect(result.labels).toEqual(Array.from(val.labels));
  });
});
