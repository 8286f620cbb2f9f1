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
