import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@fmnist/core';
import { Callback, type Logs, type TrainerControl } from './callback';

/**
 * Where a run resumes: the epochs its checkpoint holds and the batches of the next epoch it holds
 * too (a checkpoint written mid-epoch, by an interrupt or a callback). A fresh run is at
 * { epochs: 0, batches: 0 }.
 */
function resumedAt(trainer: TrainerControl | undefined): { epochs: number; batches: number } {
  const epochs = trainer?.history.length ?? 0;
  if (!trainer) return { epochs, batches: 0 };
  return { epochs, batches: trainer.startBatch ?? 0 };
}

/**
 * Cuts the log at `path` for a resumed run: it keeps the lines `keep` accepts, up to the first it
 * refuses (a killed run may have logged an epoch its checkpoint does not hold).
 */
function keepLines(path: string, keep: (line: string, index: number) => boolean): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  let n = 0;
  while (n < lines.length && keep(lines[n], n)) n++;
  writeFileAtomic(
    path,
    lines
      .slice(0, n)
      .map((l) => `${l}\n`)
      .join(''),
  );
}

/**
 * One CSV row per epoch (keras.callbacks.CSVLogger). A resumed run (from a checkpoint or a
 * BackupAndRestore) keeps the rows of the epochs it resumes after and drops any later ones, so the
 * file ends as an uninterrupted run's would; `append` keeps an earlier file for a fresh run too.
 */
export class CSVLogger extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly path: string;
  readonly append: boolean;
  private columns: string[] = [];

  constructor(options: { path: string; append?: boolean }) {
    super();
    this.path = options.path;
    this.append = options.append ?? false;
  }

  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const at = resumedAt(this.trainer);
    const done = at.epochs;
    if ((done > 0 || at.batches > 0 || this.append) && existsSync(this.path)) {
      this.columns = (readFileSync(this.path, 'utf8').split('\n')[0] ?? '').split(',').filter(Boolean);
      if (done > 0) keepLines(this.path, (line, i) => i === 0 || Number(line.split(',')[0]) < done);
    } else {
      writeFileSync(this.path, '');
      this.columns = [];
    }
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.columns.length === 0) {
      this.columns = ['epoch', ...Object.keys(logs).sort()];
      appendFileSync(this.path, `${this.columns.join(',')}\n`);
    }
    const row = this.columns.map((c) => (c === 'epoch' ? epoch : (logs[c] ?? '')));
    appendFileSync(this.path, `${row.join(',')}\n`);
  }
}

/** One JSON object per epoch (and optionally per batch), one per line. */
export class JSONLLogger extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly path: string;
  readonly batches: boolean;

  readonly append: boolean;

  constructor(options: { path: string; batches?: boolean; append?: boolean }) {
    super();
    this.path = options.path;
    this.batches = options.batches ?? false;
    this.append = options.append ?? false;
  }

  /**
   * As CSVLogger: a resumed run keeps the lines of the epochs it resumes after (with their batches)
   * and, resumed mid-epoch, the batch lines of the epoch it resumes in that its checkpoint holds;
   * the lines a killed run wrote after its checkpoint go.
   */
  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const at = resumedAt(this.trainer);
    if ((at.epochs > 0 || at.batches > 0 || this.append) && existsSync(this.path)) {
      if (at.epochs > 0 || at.batches > 0) {
        let epochs = 0;
        keepLines(this.path, (line) => {
          const event = JSON.parse(line) as { event?: string; batch?: number };
          if (epochs < at.epochs) {
            if (event.event === 'epoch') epochs++;
            return true;
          }
          // In the epoch the run resumes in: its batches up to where the checkpoint was written.
          return event.event === 'batch' && typeof event.batch === 'number' && event.batch < at.batches;
        });
      }
    } else {
      writeFileSync(this.path, '');
    }
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    appendFileSync(this.path, `${JSON.stringify({ event: 'epoch', epoch, ...logs })}\n`);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (this.batches) appendFileSync(this.path, `${JSON.stringify({ event: 'batch', batch, ...logs })}\n`);
  }
}
