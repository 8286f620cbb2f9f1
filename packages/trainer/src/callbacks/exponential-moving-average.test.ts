import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { fromLayersModel } from '../trainable';
import { Callback, type TrainerControl } from './callback';
import { ExponentialMovingAverage } from './exponential-moving-average';
import { ModelCheckpoint } from './model-checkpoint';

beforeAll(useCpu);

const data = toyDataset(96);
const val = toyDataset(32, 9);
const model = (seed = 3) => mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, batchNorm: true, seed });
const loader = () => new DataLoader(data, { batchSize: 16, seed: 5 });
const values = (vars: readonly tf.Tensor[]) => vars.map((v) => Array.from(v.dataSync()));

describe('ExponentialMovingAverage', () => {
  it('averages every variable after each batch with the warmed-up decay, and swaps the average in for validation only', () => {
    const m = model();
    const trainable = fromLayersModel(m);
    const ema = new ExponentialMovingAverage({ decay: 0.9 });
    ema.setTrainer({ model: trainable } as TrainerControl);
    ema.onTrainBegin();
    const vars = trainable.allVariables();
    const start = values(vars);
    // A step that sets every weight to 1: the average moves by 1 - d, d = min(0.9, 1/10) = 0.1 first.
    for (const v of vars) v.assign(tf.onesLike(v));
    ema.onBatchEnd();
    values(ema.weights).forEach((w, i) => {
      w.forEach((x, j) => expect(x).toBeCloseTo(0.1 * start[i][j] + 0.9, 6));
    });
    for (const v of vars) v.assign(tf.zerosLike(v));
    ema.onBatchEnd();
    // Second update: d = min(0.9, 2/11).
    const d = 2 / 11;
    values(ema.weights).forEach((w, i) => {
      w.forEach((x, j) => expect(x).toBeCloseTo(d * (0.1 * start[i][j] + 0.9), 6));
    });
    const averaged = values(ema.weights);
    // fit swaps these in for validation and puts them in the model before onTrainEnd.
    expect(values(ema.validationWeights() ?? [])).toEqual(averaged);
    expect(values(ema.finalWeights() ?? [])).toEqual(averaged);
    expect(values(vars).every((w) => w.every((x) => x === 0))).toBe(true);
    const before = tf.memory().numTensors;
    ema.onTrainEnd();
    // Applied by fit, the average is freed at the end of training.
    expect(tf.memory().numTensors).toBe(before - vars.length);
    expect(ema.weights).toEqual([]);
    m.dispose();
  });

  it('validates on the averaged weights, ends with them, and a resumed run ends where the uninterrupted one does', async () => {
    const opts = { seed: 5, optimizer: { name: 'adam', lr: 0.01 } as const, validation: new DataLoader(val, { batchSize: 16, shuffle: false }) };
    const full = model();
    const fullEma = new ExponentialMovingAverage({ decay: 0.95 });
    const fullHistory = await fit(full, loader(), { ...opts, epochs: 3, callbacks: [fullEma] });
    // The model ends with the average, which the last validation measured.
    const last = await evaluate(full, new DataLoader(val, { batchSize: 16, shuffle: false }));
    expect(last.loss).toBeCloseTo(fullHistory.epochs[2].val_loss, 6);

    const dir = mkdtempSync(join(tmpdir(), 'ema-'));
    class CrashAt2 extends Callback {
      readonly observesOnly = true; // a fault injector, not part of the run
      onEpochBegin(epoch: number) {
        if (epoch === 2) throw new Error('crash');
      }
    }
    const first = new ExponentialMovingAverage({ decay: 0.95 });
    await expect(fit(model(), loader(), { ...opts, epochs: 3, callbacks: [first, new ModelCheckpoint({ dir }), new CrashAt2()] })).rejects.toThrow('crash');
    first.dispose();
    const resumed = model(99);
    const resumedEma = new ExponentialMovingAverage({ decay: 0.95 });
    const history = await fit(resumed, loader(), { ...opts, epochs: 3, callbacks: [resumedEma, new ModelCheckpoint({ dir })], resumeFrom: dir });
    expect(history.epochs.map((e) => e.val_accuracy)).toEqual(fullHistory.epochs.map((e) => e.val_accuracy));
    expect(resumedEma.updates).toBe(fullEma.updates);
    expect(values(resumed.weights.map((w) => w.read()))).toEqual(values(full.weights.map((w) => w.read())));
    for (const e of [fullEma, resumedEma]) e.dispose();
    full.dispose();
    resumed.dispose();
  });

  it('changes what validation sees: without it val_loss is the raw weights', async () => {
    const run = async (validate: boolean) => {
      const ema = new ExponentialMovingAverage({ decay: 0.99, validate, applyOnTrainEnd: false });
      const m = model();
      const h = await fit(m, loader(), { seed: 5, epochs: 2, validation: new DataLoader(val, { batchSize: 16, shuffle: false }), callbacks: [ema] });
      ema.dispose();
      m.dispose();
      return h.epochs.map((e) => e.val_loss);
    };
    const [averaged, raw] = [await run(true), await run(false)];
    expect(averaged).not.toEqual(raw);
  });

  it('refuses a decay outside (0, 1)', () => {
    expect(() => new ExponentialMovingAverage({ decay: 1 })).toThrow(/decay: expected a number in \(0, 1\), got 1/);
  });
});
