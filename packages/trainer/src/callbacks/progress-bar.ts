import { Callback, type Logs } from './callback';

export interface ProgressBarOptions {
  /** Where to write. Default process.stderr. */
  write?: (text: string) => void;
  /** Live bar (true) or plain lines (false). Default: stderr is a TTY and not CI. */
  live?: boolean;
  /**
   * Without a live bar, a plain progress line within an epoch at most every `interval` ms (batch
   * k/n, ETA, running loss and accuracy, images/s), besides each epoch's line. 0: epoch lines only.
   * Default 30000.
   */
  interval?: number;
  /** Text before every line, e.g. the run's name when several run in turn. Default none. */
  label?: string;
}

function fmt(logs: Logs, keys: string[]): string {
  return keys
    .filter((k) => logs[k] !== undefined)
    .map((k) => `${k} ${logs[k] < 0.01 && logs[k] > 0 ? logs[k].toExponential(2) : logs[k].toFixed(4)}`)
    .join(' · ');
}

/** Metrics averaged over the epoch so far in the lines within an epoch (Keras' Progbar averages every metric it is not told is stateful). */
const RUNNING_METRICS = ['loss', 'accuracy'] as const;

/**
 * A Keras-like progress bar with ETA, loss, accuracy and images/s; plain lines when not a TTY.
 * Within an epoch it shows the running means of loss and accuracy over the epoch's batches so far,
 * weighted by batch size, as Keras' Progbar does (so its last frame shows the epoch's values);
 * the epoch line shows the epoch's logs.
 */
export class ProgressBar extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  private readonly write: (text: string) => void;
  private readonly live: boolean;
  private readonly interval: number;
  private readonly label: string;
  private epochStart = 0;
  private lastDraw = 0;
  private epoch = 0;
  /** Size-weighted sums of the running metrics over the epoch so far, and the images they cover. */
  private sums: Record<(typeof RUNNING_METRICS)[number], number> = { loss: 0, accuracy: 0 };
  private seen = 0;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.write = options.write ?? ((t) => process.stderr.write(t));
    this.live = options.live ?? (typeof process !== 'undefined' && process.stderr?.isTTY === true && !process.env.CI);
    this.interval = options.interval ?? 30_000;
    this.label = options.label ?? '';
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
    this.lastDraw = this.epochStart;
    this.sums = { loss: 0, accuracy: 0 };
    this.seen = 0;
  }

  /** The batch's values added to the epoch's running means; returns those means. */
  private runningMeans(logs: Logs): Logs {
    const size = logs.size ?? 1;
    this.seen += size;
    const means: Logs = {};
    for (const key of RUNNING_METRICS) {
      if (logs[key] === undefined) continue;
      this.sums[key] += logs[key] * size;
      means[key] = this.sums[key] / this.seen;
    }
    return means;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const now = performance.now();
    const total = this.trainer.stepsPerEpoch;
    const done = (batch + 1) / total;
    const elapsed = (now - this.epochStart) / 1000;
    const eta = (elapsed / done) * (1 - done);
    const stats = `${batch + 1}/${total} ETA ${eta.toFixed(0)}s · ${fmt(this.runningMeans(logs), [...RUNNING_METRICS])} · ${Math.round(logs.imagesPerSecond ?? 0)} img/s`;
    if (!this.live) {
      // Plain lines (CI, files): at a modest rate, and never for the last batch (the epoch line follows).
      if (this.interval > 0 && now - this.lastDraw >= this.interval && batch + 1 < total) {
        this.lastDraw = now;
        this.write(`${this.label}Epoch ${this.epoch + 1}/${this.trainer.epochs} ${stats}\n`);
      }
      return;
    }
    if (now - this.lastDraw < 100 && batch + 1 < total) return;
    this.lastDraw = now;
    const width = 24;
    const bar = '='.repeat(Math.floor(done * width)).padEnd(width, '.');
    this.write(`\r${this.label}Epoch ${this.epoch + 1}/${this.trainer.epochs} [${bar}] ${stats}   `);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const seconds = ((performance.now() - this.epochStart) / 1000).toFixed(1);
    const line = `${this.label}Epoch ${epoch + 1}/${this.trainer.epochs} ${seconds}s · ${fmt(logs, ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr'])} · ${Math.round(logs.imagesPerSecond ?? 0)} img/s`;
    this.write(this.live ? `\r${line}\u001b[K\n` : `${line}\n`);
  }
}
