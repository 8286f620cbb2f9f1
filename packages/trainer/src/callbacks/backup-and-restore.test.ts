import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { BackupAndRestore } from './backup-and-restore';
import { Callback } from './callback';
import { CSVLogger } from './csv-logger';
import { EarlyStopping } from './early-stopping';
import { ModelCheckpoint } from './model-checkpoint';

beforeAll(useCpu);

const data = toyDataset(96);
const val = toyDataset(40, 99);
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** Records the epochs that ran; throws at the start of epoch `crashAt` (a crash after the previous epoch's backup). */
class Epochs extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  readonly ran: number[] = [];
  constructor(private readonly crashAt?: number) {
    super();
  }
  onEpochBegin(epoch: number): void {
    if (epoch === this.crashAt) throw new Error('crash');
    this.ran.push(epoch);
  }
}

/** The same run each time: a fresh model (other initial weights, which a resume replaces). */
async function run(callbacks: Callback[], seed = 5, init = 3) {
  const model = mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed: init });
  const history = await fit(model, new DataLoader(data, { batchSize: 16, seed }), {
    epochs: 5,
    seed,
    optimizer: { name: 'adam', lr: 0.03 },
    validation: val,
    callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true }), ...callbacks],
  });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { history, weights };
}

describe('BackupAndRestore', () => {
  it('a crashed fit, run again, resumes from the backup and ends as the uninterrupted run', async () => {
    const full = await run([]);
    const dir = join(tmp('backup'), 'b');
    await expect(run([new BackupAndRestore({ backupDir: dir }), new Epochs(3)])).rejects.toThrow('crash');
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    const epochs = new Epochs();
    const resumed = await run([new BackupAndRestore({ backupDir: dir }), epochs], 5, 99);
    expect(epochs.ran).toEqual([3, 4]);
    expect(resumed.history.epochs.map((e) => e.loss)).toEqual(full.history.epochs.map((e) => e.loss));
    expect(resumed.weights).toEqual(full.weights);
    // Completed: the backup is gone (Keras' default), so the next run starts afresh.
    expect(existsSync(dir)).toBe(false);
  });

  it('deleteCheckpoint: false keeps a finished run: running it again trains nothing and gives the same weights', async () => {
    const dir = join(tmp('backup-keep'), 'b');
    const first = await run([new BackupAndRestore({ backupDir: dir, deleteCheckpoint: false })]);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    const epochs = new Epochs();
    const again = await run([new BackupAndRestore({ backupDir: dir, deleteCheckpoint: false }), epochs], 5, 99);
    expect(epochs.ran).toEqual([]);
    expect(again.history.epochs).toEqual(first.history.epochs);
    expect(again.weights).toEqual(first.weights);
  });

  it("refuses another run's backup, naming the field", async () => {
    const dir = join(tmp('backup-other'), 'b');
    await expect(run([new BackupAndRestore({ backupDir: dir }), new Epochs(2)])).rejects.toThrow('crash');
    await expect(run([new BackupAndRestore({ backupDir: dir })], 6)).rejects.toThrow(/seed/);
  });

  it("removes only what it wrote: the user's notes, a CSV log and a ModelCheckpoint folder in backupDir survive", async () => {
    const dir = tmp('backup-shared');
    writeFileSync(join(dir, 'notes.txt'), 'my notes');
    mkdirSync(join(dir, 'runs'));
    writeFileSync(join(dir, 'runs', 'old.csv'), 'epoch,loss\n');
    const mine = () => [new CSVLogger({ path: join(dir, 'log.csv') }), new ModelCheckpoint({ dir: join(dir, 'best-ckpt') })];
    await expect(run([new BackupAndRestore({ backupDir: dir }), ...mine(), new Epochs(3)])).rejects.toThrow('crash');
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    await run([new BackupAndRestore({ backupDir: dir }), ...mine()], 5, 99);
    expect(readdirSync(dir).sort()).toEqual(['best-ckpt', 'log.csv', 'notes.txt', 'runs']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes');
    expect(readFileSync(join(dir, 'runs', 'old.csv'), 'utf8')).toBe('epoch,loss\n');
    expect(readFileSync(join(dir, 'log.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 5);
    expect(existsSync(join(dir, 'best-ckpt', 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(dir, 'best-ckpt', 'last', 'model.json'))).toBe(true);
  });

  it('removes the directories it created (once empty), never one that was there before', async () => {
    const root = tmp('backup-levels');
    // Created by the crashed run, two levels deep: the resumed run removes both.
    const dir = join(root, 'a', 'b');
    await expect(run([new BackupAndRestore({ backupDir: dir }), new Epochs(2)])).rejects.toThrow('crash');
    await run([new BackupAndRestore({ backupDir: dir })], 5, 99);
    expect(readdirSync(root)).toEqual([]);
    // A directory the user made (empty) stays.
    const theirs = join(root, 'theirs');
    mkdirSync(theirs);
    await run([new BackupAndRestore({ backupDir: theirs })]);
    expect(readdirSync(root)).toEqual(['theirs']);
    expect(readdirSync(theirs)).toEqual([]);
  });
});
