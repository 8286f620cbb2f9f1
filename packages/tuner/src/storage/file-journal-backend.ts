import { closeSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { TunerError } from '../tuner-error';
import { SymlinkLock } from './file-lock';
import type { JournalBackend } from './journal-backend';
import type { JournalLog } from './journal-replay';
import { parsePythonJson, stringifyPythonJson } from './python-json';

const BLOCK = 1 << 16;

/** Bytes up to and including the last newline (0 if none), however long the torn last line is. */
export function completeLength(fd: number, size: number): number {
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  const block = Buffer.alloc(BLOCK);
  for (let end = size; end > 0; end -= BLOCK) {
    const start = Math.max(0, end - BLOCK);
    readSync(fd, block, 0, end - start, start);
    const nl = block.subarray(0, end - start).lastIndexOf(0x0a);
    if (nl >= 0) return start + nl + 1;
  }
  return 0;
}

/**
 * Optuna's JournalFileStorage format: one JSON object per line, appended under the symlink lock
 * and fsynced. JSON as Python's json module writes it: NaN and ±Infinity are bare `NaN`,
 * `Infinity`, `-Infinity`, read and written. Readers keep a byte offset and read only new complete lines, so a torn last line
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
      const lines = buf.subarray(0, end).toString('utf8').split('\n');
      // Parse every new line before taking any: a bad line leaves the cache and offset as they
      // were, so a retry reads the same lines again instead of adding them twice.
      const parsed: JournalLog[] = [];
      for (const [i, line] of lines.entries()) {
        if (line.trim() === '') continue;
        try {
          parsed.push(parsePythonJson(line) as JournalLog);
        } catch {
          throw new TunerError(`journal ${this.path}: line ${this.logIndex + i + 1} is not valid JSON`);
        }
      }
      this.cache.push(...parsed);
      this.logIndex += lines.length;
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
      // Cut a torn tail left by a writer that died mid-line (we hold the lock, so nobody is writing).
      const complete = completeLength(fd, size);
      if (complete !== size) {
        ftruncateSync(fd, complete);
        size = complete;
      }
      const text = Buffer.from(`${logs.map((l) => stringifyPythonJson(l)).join('\n')}\n`);
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
