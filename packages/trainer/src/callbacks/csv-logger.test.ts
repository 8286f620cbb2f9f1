import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { Callback } from './callback';
import { CSVLogger, JSONLLogger } from './csv-logger';
import { ModelCheckpoint } from './model-checkpoint';

beforeAll(useCpu);

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** Throws after epoch `at` was logged (onEpochEnd) but before its checkpoint is written (afterEpochEnd of callbacks after it). */
class CrashAfterLog extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  constructor(private readonly at: number) {
    super();
  }
  afterEpochEnd(epoch: number): void {
    if (epoch === this.at) throw new Error('crash');
  }
}

async function run(dir: string, crashAt?: number, resume = false) {
  const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
  const callbacks: Callback[] = [new CSVLogger({ path: join(dir, 'log.csv') }), new JSONLLogger({ path: join(dir, 'log.jsonl'), batches: true })];
  if (crashAt !== undefined) callbacks.push(new CrashAfterLog(crashAt));
  callbacks.push(new ModelCheckpoint({ dir: join(dir, 'ckpt') }));
  await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 1 }), {
    epochs: 5,
    seed: 1,
    validation: toyDataset(32, 9),
    callbacks,
    resumeFrom: resume ? join(dir, 'ckpt') : undefined,
  });
  model.dispose();
}

/** The CSV without its timing columns. */
function rows(dir: string): string[][] {
  const [header, ...lines] = readFileSync(join(dir, 'log.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const keep = header.map((c, i) => (c === 'seconds' || c === 'imagesPerSecond' ? -1 : i)).filter((i) => i >= 0);
  return [header, ...lines].map((r) => keep.map((i) => r[i]));
}

function events(dir: string): string[] {
  return readFileSync(join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const e = JSON.parse(l) as { event: string; epoch?: number; batch?: number; loss: number };
      return `${e.event} ${e.epoch ?? e.batch} ${e.loss}`;
    });
}

describe('CSVLogger and JSONLLogger on resume', () => {
  it('a run resumed after a crash between an epoch logged and its checkpoint ends with the uninterrupted run’s rows, once each', async () => {
    const full = tmp('log-full');
    await run(full);
    const dir = tmp('log-crash');
    await expect(run(dir, 2)).rejects.toThrow('crash');
    // Epoch 2 was logged, its checkpoint not written: the resume starts at epoch 2 again.
    expect(rows(dir)).toHaveLength(1 + 3);
    await run(dir, undefined, true);
    expect(rows(dir)).toEqual(rows(full));
    expect(rows(dir).map((r) => r[0])).toEqual(['epoch', '0', '1', '2', '3', '4']);
    expect(events(dir)).toEqual(events(full));
  });

  it('a fresh run starts the files again', async () => {
    const dir = tmp('log-fresh');
    await run(dir);
    await run(dir);
    expect(rows(dir)).toHaveLength(6);
  });
});

/** Writes a checkpoint after batch `saveAt` of epoch `epoch` (mid-epoch, as an interrupt does), then crashes after batch `crashAt`. */
class SaveMidEpochThenCrash extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  private epoch = -1;
  constructor(
    private readonly dir: string,
    private readonly at?: { epoch: number; saveAt: number; crashAt: number },
  ) {
    super();
  }
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  async onBatchEnd(batch: number): Promise<void> {
    if (this.at?.epoch !== this.epoch) return;
    if (batch === this.at.saveAt) await this.trainer.saveCheckpoint(this.dir);
    if (batch === this.at.crashAt) throw new Error('crash');
  }
}

async function runMidEpoch(dir: string, at?: { epoch: number; saveAt: number; crashAt: number }, resume = false) {
  const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
  await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 1 }), {
    epochs: 4,
    seed: 1,
    validation: toyDataset(32, 9),
    callbacks: [
      new CSVLogger({ path: join(dir, 'log.csv') }),
      new JSONLLogger({ path: join(dir, 'log.jsonl'), batches: true }),
      new SaveMidEpochThenCrash(join(dir, 'mid'), at),
    ],
    resumeFrom: resume ? join(dir, 'mid') : undefined,
  });
  model.dispose();
}

describe('CSVLogger and JSONLLogger on a mid-epoch resume', () => {
  // 96 images in batches of 16: 6 batches an epoch.
  for (const at of [
    { epoch: 0, saveAt: 2, crashAt: 4 },
    { epoch: 2, saveAt: 1, crashAt: 3 },
  ]) {
    it(`checkpoint after batch ${at.saveAt} of epoch ${at.epoch}, crash after batch ${at.crashAt}: the files end as the uninterrupted run's`, async () => {
      const full = tmp('log-mid-full');
      await runMidEpoch(full);
      const dir = tmp('log-mid');
      await expect(runMidEpoch(dir, at)).rejects.toThrow('crash');
      // The crashed run logged batches past its checkpoint: the resume drops them, keeps the others.
      expect(events(dir).at(-1)).toMatch(new RegExp(`^batch ${at.crashAt} `));
      await runMidEpoch(dir, undefined, true);
      expect(events(dir)).toEqual(events(full));
      expect(events(dir).filter((e) => e.startsWith('batch'))).toHaveLength(4 * 6);
      expect(rows(dir)).toEqual(rows(full));
    });
  }
});
