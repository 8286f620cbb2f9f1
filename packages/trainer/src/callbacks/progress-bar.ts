import { Callback, type Logs } from './callback';

export interface ProgressBarOptions {
  /** Where to write. Default process.stderr. */
  write?: (text: string) => void;
  /** Live bar (true) or one line per epoch (false). Default: stderr is a TTY and not CI. */
  live?: boolean;
}

function fmt(logs: Logs, keys: string[]): string {
  return keys
    .filter((k) => logs[k] !== undefined)
    .map((k) => `${k} ${logs[k] < 0.01 && logs[k] > 0 ? logs[k].toExponential(2) : logs[k].toFixed(4)}`)
    .join(' · ');
}

/** A Keras-like progress bar with ETA, loss, accuracy and images/s; plain lines when not a TTY. */
export class ProgressBar extends Callback {
  private readonly write: (text: string) => void;
  private readonly live: boolean;
  private epochStart = 0;
  private lastDraw = 0;
  private epoch = 0;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.write = options.write ?? ((t) => process.stderr.write(t));
    this.live = options.live ?? (process.stderr.isTTY === true && !process.env.CI);
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (!this.live) return;
    const now = performance.now();
    const total = this.trainer.stepsPerEpoch;
    if (now - this.lastDraw < 100 && batch + 1 < total) return;
    this.lastDraw = now;
    const done = (batch + 1) / total;
    const width = 24;
    const bar = '='.repeat(Math.floor(done * width)).padEnd(width, '.');
    const elapsed = (now - this.epochStart) / 1000;
    const eta = (elapsed / done) * (1 - done);
    this.write(
      `\rEpoch ${this.epoch + 1}/${this.trainer.epochs} [${bar}] ${batch + 1}/${total} ETA ${eta.toFixed(0)}s · ${fmt(logs, ['loss', 'accuracy'])} · ${Math.round(logs.imagesPerSecond ?? 0)} img/s   `,
    );
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const seconds = ((performance.now() - this.epochStart) / 1000).toFixed(1);
    const line = `Epoch ${epoch + 1}/${this.trainer.epochs} ${seconds}s · ${fmt(logs, ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr'])} · ${Math.round(logs.imagesPerSecond ?? 0)} img/s`;
    this.write(this.live ? `\r${line}\u001b[K\n` : `${line}\n`);
  }
}
