import { closeSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { TunerError } from '../tuner-error';
import { SymlinkLock } from './file-lock';
import type { JournalBackend } from './journal-backend';
import type { JournalLog } from './journal-replay';

/**
 * Optuna's JournalFileStorage format: one JSON object per line, appended under the symlink lock
 * and fsynced. Readers keep a byte offset and read only new complete lines, so a torn last line
 * (a writer killed mid-write) is ignored, and it is cut off before the next append.
 */
export class FileJournalBackend implements JournalBackend {
  private offset = 0;
  private readonly lock: SymlinkLock;
  private logIndex = 0;
  private cache: JournalLog[] = [];

  constructor(readonly path: string) {
    this.lock = new SymlinkLock(path);
    try {
      closeSync(openSync(path, 'a'));
    } catch (error) {
      throw new TunerError(`journal ${path}: cannot open (${(error as Error).message})`);
    }
  }

  private readNew(): void {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) return;
      const text = buf.subarray(0, end).toString('utf8');
      for (const [i, line] of text.split('\n').entries()) {
        if (line.trim() === '') continue;
        try {
          this.cache.push(JSON.parse(line) as JournalLog);
        } catch {
          throw new TunerError(`journal ${this.path}: line ${this.logIndex + i + 1} is not valid JSON`);
        }
      }
      this.logIndex += text.split('\n').length;
      this.offset += end + 1;
    } finally {
      closeSync(fd);
    }
  }

  readLogs(from: number): JournalLog[] {
    this.readNew();
    return this.cache.slice(from);
  }

  appendLogs(logs: JournalLog[]): void {
    const fd = openSync(this.path, 'r+');
    try {
      let size = fstatSync(fd).size;
      if (size > 0) {
        // Cut a torn tail left by a writer that died mid-line (we hold the lock, so nobody is writing).
        const tailLen = Math.min(size, 1 << 16);
        const tail = Buffer.alloc(tailLen);
        readSync(fd, tail, 0, tailLen, size - tailLen);
        if (tail[tailLen - 1] !== 0x0a) {
          const nl = tail.lastIndexOf(0x0a);
          size = nl < 0 ? (tailLen === size ? 0 : size) : size - tailLen + nl + 1;
          ftruncateSync(fd, size);
        }
      }
      const text = Buffer.from(`${logs.map((l) => JSON.stringify(l)).join('\n')}\n`);
      let written = 0;
      while (written < text.length) written += writeSync(fd, text, written, text.length - written, size + written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.lock.with(fn);
  }
}
