import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { loadModel, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { fit } from '../fit';
import { FlipWeightsFrom } from '../test-utils/flip-weights';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { BackupAndRestore } from './backup-and-restore';
import { EarlyStopping } from './early-stopping';
import { ExponentialMovingAverage } from './exponential-moving-average';
import { ModelCheckpoint } from './model-checkpoint';

beforeAll(useCpu);

const data = toyDataset(96);
const val = toyDataset(48, 9);
const valLoader = () => new DataLoader(val, { batchSize: 16, shuffle: false });

type Order = 'ema first' | 'ema last';

async function run(order: Order) {
  const dir = mkdtempSync(join(tmpdir(), 'validated-weights-'));
  const model = mlp({ inputs: 64, hidden: [16], outputs: 4, batchNorm: true, seed: 3 });
  const ema = new ExponentialMovingAverage({ decay: 0.9 });
  const stopping = new EarlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true });
  const checkpoint = new ModelCheckpoint({ dir, monitor: 'val_loss', saveBestOnly: true });
  const others = [stopping, checkpoint, new FlipWeightsFrom(2)];
  const history = await fit(model, new DataLoader(data, { batchSize: 16, seed: 5 }), {
    epochs: 5,
    seed: 5,
    optimizer: { name: 'sgd', lr: 0.1 },
    validation: valLoader(),
    callbacks: order === 'ema first' ? [ema, ...others] : [...others, ema],
  });
  return { dir, model, history, stopping };
}

describe('the weights validation measured are the weights kept (EMA × checkpoints × early stopping)', () => {
  for (const order of ['ema first', 'ema last'] as const) {
    it(`${order}: the saved best model and the restored model score the best epoch's logged val_loss`, async () => {
      const { dir, model, history, stopping } = await run(order);
      const losses = history.epochs.map((e) => e.val_loss);
      const best = losses.indexOf(Math.min(...losses));
      expect(stopping.bestEpoch).toBe(best);
      expect(best).toBeLessThan(losses.length - 1);
      const saved = await loadModel(join(dir, 'best'));
      const savedScore = await evaluate(saved.model, valLoader());
      expect(savedScore.loss).toBeCloseTo(losses[best], 5);
      expect(saved.metadata?.training?.val_loss).toBe(losses[best]);
      const restored = await evaluate(model, valLoader());
      expect(restored.loss).toBeCloseTo(losses[best], 5);
      saved.model.dispose();
      model.dispose();
    });
  }

  it('two callbacks that both supply validation weights are refused in one line', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    const a = new ExponentialMovingAverage();
    const b = new ExponentialMovingAverage();
    await expect(fit(model, new DataLoader(data, { batchSize: 16, seed: 5 }), { epochs: 1, validation: valLoader(), callbacks: [a, b] })).rejects.toThrow(
      /ExponentialMovingAverage#0 and ExponentialMovingAverage#1 both supply/,
    );
    a.dispose();
    b.dispose();
    model.dispose();
  });

  it('fit after fit with an EMA leaks no tensor', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await fit(model, new DataLoader(data, { batchSize: 16, seed: 5 }), {
        epochs: 1,
        validation: valLoader(),
        callbacks: [new ExponentialMovingAverage({ decay: 0.9 })],
      });
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  });

  it('ModelCheckpoint(saveBestOnly) refuses a monitor that is not logged, as EarlyStopping does, instead of saving nothing', async () => {
    const m = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'monitor-'));
    await expect(
      fit(m, new DataLoader(data, { batchSize: 16 }), { epochs: 1, callbacks: [new ModelCheckpoint({ dir, monitor: 'val_accuracy', saveBestOnly: true })] }),
    ).rejects.toThrow(/^ModelCheckpoint: monitor 'val_accuracy' is not in the logs \(loss, accuracy, /);
    m.dispose();
  });

  it('BackupAndRestore and ModelCheckpoint in one directory are refused (both write checkpoint.json)', async () => {
    const m = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'shared-'));
    await expect(
      fit(m, new DataLoader(data, { batchSize: 16 }), { epochs: 1, callbacks: [new ModelCheckpoint({ dir }), new BackupAndRestore({ backupDir: `${dir}/` })] }),
    ).rejects.toThrow(/^BackupAndRestore\.backupDir: .* is also ModelCheckpoint's dir/);
    m.dispose();
  });
});
