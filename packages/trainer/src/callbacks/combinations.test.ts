// The callbacks users combine, as a tested surface: EMA, early stopping with best weights, best-only
// checkpoints, a schedule and an epoch backup, in both list orders, uninterrupted and killed after
// every epoch. Invariants, not figures (tiny data, cpu backend, seconds).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { loadModel, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/src/init-backend';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { evaluate } from '../evaluate';
import { fit, type History } from '../fit';
import { OneCycleLR } from '../schedulers/one-cycle-lr';
import { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau';
import { FlipWeightsFrom } from '../test-utils/flip-weights';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { BackupAndRestore } from './backup-and-restore';
import { Callback } from './callback';
import { EarlyStopping } from './early-stopping';
import { ExponentialMovingAverage } from './exponential-moving-average';
import { ModelCheckpoint } from './model-checkpoint';

beforeAll(useCpu);

const EPOCHS = 6;
const data = toyDataset(96);
const val = toyDataset(48, 9);
const valLoader = () => new DataLoader(val, { batchSize: 16, shuffle: false });

/** A kill at the start of an epoch (after the previous epoch's backup), as a crash would. */
class KillAt extends Callback {
  readonly observesOnly = true;
  constructor(private readonly epoch: number) {
    super();
  }
  onEpochBegin(epoch: number): void {
    if (epoch === this.epoch) throw new Error(`killed at epoch ${epoch}`);
  }
}

type Schedule = 'plateau' | 'one-cycle';
type Order = 'forward' | 'reversed';

interface Dirs {
  checkpoint: string;
  backup: string;
}

function callbacks(schedule: Schedule, order: Order, dirs: Dirs) {
  const ema = new ExponentialMovingAverage({ decay: 0.9 });
  const stopping = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
  const list: Callback[] = [
    ema,
    stopping,
    new ModelCheckpoint({ dir: dirs.checkpoint, monitor: 'val_loss', saveBestOnly: true }),
    schedule === 'plateau' ? new ReduceLROnPlateau({ patience: 0, factor: 0.5 }) : new OneCycleLR({ maxLr: 0.05, interval: 'step' }),
    new BackupAndRestore({ backupDir: dirs.backup }),
    new FlipWeightsFrom(3),
  ];
  return { ema, stopping, list: order === 'forward' ? list : list.reverse() };
}

/** A checkpoint and a backup directory, each already holding a file of the user's. */
function userDirs(): Dirs {
  const root = mkdtempSync(join(tmpdir(), 'combinations-'));
  const dirs = { checkpoint: join(root, 'checkpoint'), backup: join(root, 'backup') };
  for (const d of Object.values(dirs)) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'notes.txt'), `mine: ${d}`);
  }
  return dirs;
}

interface Outcome {
  history: History;
  bestEpoch: number;
  weights: number[][];
  model: tfl.LayersModel;
}

async function train(schedule: Schedule, order: Order, dirs: Dirs, killAt?: number): Promise<Outcome> {
  // The chain's first fit starts as the uninterrupted one; the resumed ones start from other
  // weights, so everything they end with must come from the backup.
  const seed = killAt === undefined || killAt === 1 ? 3 : 40 + killAt;
  const model = mlp({ inputs: 64, hidden: [16], outputs: 4, batchNorm: true, dropout: 0.2, seed });
  const { ema, stopping, list } = callbacks(schedule, order, dirs);
  try {
    const history = await fit(model, new DataLoader(data, { batchSize: 16, seed: 5 }), {
      epochs: EPOCHS,
      seed: 5,
      optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 },
      validation: valLoader(),
      callbacks: killAt === undefined ? list : [...list, new KillAt(killAt)],
    });
    // Read with await data(): the same values on every backend (WebGPU in Node has no synchronous reads).
    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    return { history, bestEpoch: stopping.bestEpoch, weights, model };
  } catch (error) {
    // A crashed fit never reaches onTrainEnd: free what a killed process would have lost.
    ema.dispose();
    model.dispose();
    throw error;
  }
}

async function score(model: tfl.LayersModel): Promise<number> {
  return (await evaluate(model, valLoader())).loss;
}

describe('EMA × EarlyStopping(restoreBestWeights) × ModelCheckpoint(saveBestOnly) × a schedule × BackupAndRestore', () => {
  for (const schedule of ['plateau', 'one-cycle'] as const) {
    for (const order of ['forward', 'reversed'] as const) {
      it(`${schedule}, ${order} order: the kept weights are the measured ones, a run killed after every epoch ends as the uninterrupted one, no leak, the user's files stay`, async () => {
        const tensors = tf.memory().numTensors;
        const dirs = userDirs();
        const straight = await train(schedule, order, dirs);
        const logged = straight.history.epochs.map((e) => e.val_loss);
        const best = logged.indexOf(Math.min(...logged));
        expect(straight.bestEpoch).toBe(best);
        expect(best).toBeLessThan(logged.length - 1);
        // The restored model scores the best epoch's logged metric.
        expect(await score(straight.model)).toBeCloseTo(logged[best], 5);
        // The saved best model scores what was logged for its epoch, and says so.
        const saved = await loadModel(join(dirs.checkpoint, 'best'));
        const savedEpoch = saved.metadata?.training?.epoch as number;
        expect(savedEpoch).toBe(best);
        expect(saved.metadata?.training?.val_loss).toBe(logged[best]);
        expect(await score(saved.model)).toBeCloseTo(logged[best], 5);
        saved.model.dispose();
        straight.model.dispose();
        // The backup is gone, the user's files are not.
        for (const d of Object.values(dirs)) expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe(`mine: ${d}`);
        expect(existsSync(join(dirs.backup, 'checkpoint.json'))).toBe(false);
        // Tensor count is back where it was after a whole run.
        expect(tf.memory().numTensors).toBe(tensors);

        // The same run killed at the start of every epoch, resumed each time from its backup.
        const again = userDirs();
        let resumed: Outcome | undefined;
        for (let killAt = 1; !resumed; killAt++) {
          try {
            resumed = await train(schedule, order, again, killAt < EPOCHS ? killAt : EPOCHS + 1);
          } catch (error) {
            expect(String(error)).toContain(`killed at epoch ${killAt}`);
          }
        }
        expect(resumed.history.epochs.map((e) => e.val_loss)).toEqual(logged);
        expect(resumed.history.epochs.map((e) => e.lr)).toEqual(straight.history.epochs.map((e) => e.lr));
        expect(resumed.history.stopReason).toBe(straight.history.stopReason);
        expect(resumed.weights).toEqual(straight.weights);
        const savedAgain = await loadModel(join(again.checkpoint, 'best'));
        expect(savedAgain.metadata?.training?.epoch).toBe(best);
        expect(await score(savedAgain.model)).toBeCloseTo(logged[best], 5);
        savedAgain.model.dispose();
        resumed.model.dispose();
        for (const d of Object.values(again)) expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe(`mine: ${d}`);
      });
    }
  }
});

// The same combination on WebGPU in Node (CI: a software adapter): each callback's reads and
// writes (EMA shadows, best weights, checkpoint and backup files) work there, a run killed after
// every epoch ends bit for bit as the uninterrupted one, and the figures are the cpu backend's.
describe.skipIf(skipWebGpuTests('combinations.test.ts'))('the same combination on WebGPU in Node', () => {
  it('one-cycle: the kept and saved weights are the measured ones, a killed run resumes to the same digits, cpu figures, no leak', async () => {
    await initBackend({ backend: 'cpu' });
    const cpu = await train('one-cycle', 'forward', userDirs());
    cpu.model.dispose();
    expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
    const tensors = tf.memory().numTensors;
    const dirs = userDirs();
    const straight = await train('one-cycle', 'forward', dirs);
    const logged = straight.history.epochs.map((e) => e.val_loss);
    logged.forEach((v, i) => expect(v).toBeCloseTo(cpu.history.epochs[i].val_loss, 3));
    expect(straight.bestEpoch).toBe(cpu.bestEpoch);
    expect(await score(straight.model)).toBeCloseTo(logged[straight.bestEpoch], 5);
    const saved = await loadModel(join(dirs.checkpoint, 'best'));
    expect(saved.metadata?.training?.epoch).toBe(straight.bestEpoch);
    expect(await score(saved.model)).toBeCloseTo(logged[straight.bestEpoch], 5);
    saved.model.dispose();
    straight.model.dispose();
    expect(tf.memory().numTensors).toBe(tensors);

    const again = userDirs();
    let resumed: Outcome | undefined;
    for (let killAt = 1; !resumed; killAt++) {
      try {
        resumed = await train('one-cycle', 'forward', again, killAt < EPOCHS ? killAt : EPOCHS + 1);
      } catch (error) {
        expect(String(error)).toContain(`killed at epoch ${killAt}`);
      }
    }
    expect(resumed.history.epochs.map((e) => e.val_loss)).toEqual(logged);
    expect(resumed.weights).toEqual(straight.weights);
    resumed.model.dispose();
    for (const d of Object.values(again)) expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe(`mine: ${d}`);
    await initBackend({ backend: 'cpu' });
  }, 180_000);
});
