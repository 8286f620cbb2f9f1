import { randomUUID } from 'node:crypto';
import { lstatSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The lock Optuna's JournalFileStorage uses by default (JournalFileSymlinkLock): a symlink
 * `<file>.lock` created atomically, so our processes and Python's exclude each other. A lock
 * older than `staleMs` is taken to belong to a killed process and is broken.
 */
export class SymlinkLock {
  private readonly lockFile: string;

  constructor(
    private readonly target: string,
    private readonly staleMs = 30_000,
  ) {
    this.lockFile = `${target}.lock`;
  }

  async acquire(): Promise<void> {
    let wait = 1;
    for (;;) {
      try {
        symlinkSync(this.target, this.lockFile);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      try {
        if (Date.now() - lstatSync(this.lockFile).mtimeMs > this.staleMs) this.release();
      } catch {
        // released meanwhile
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 50);
    }
  }

  release(): void {
    // Rename first so that two releasers cannot both unlink a lock a third process just took.
    const tmp = `${this.lockFile}${randomUUID()}.rename`;
    try {
      renameSync(this.lockFile, tmp);
      unlinkSync(tmp);
    } catch {
      // not held
    }
  }

  async with<T>(fn: () => Promise<T> | T): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
