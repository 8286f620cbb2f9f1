import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Callback, type Logs } from './callback';

/** One CSV row per epoch (keras.callbacks.CSVLogger); `append` continues a resumed run's file. */
export class CSVLogger extends Callback {
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
    if (this.append && existsSync(this.path)) {
      this.columns = (readFileSync(this.path, 'utf8').split('\n')[0] ?? '').split(',').filter(Boolean);
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
  readonly path: string;
  readonly batches: boolean;

  constructor(options: { path: string; batches?: boolean; append?: boolean }) {
    super();
    this.path = options.path;
    this.batches = options.batches ?? false;
    if (!options.append) {
      mkdirSync(dirname(this.path), { recursive: true });
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
