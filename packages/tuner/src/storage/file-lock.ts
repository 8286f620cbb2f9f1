import { randomUUID } from 'node:crypto';
import { linkSync, lstatSync, renameSync, type Stats, symlinkSync, unlinkSync } from 'node:fs';

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
      this.breakIfStale();
      await sleep(wait);
      wait = Math.min(wait * 2, 50);
    }
  }

  /**
   * Breaks the lock if it is older than `staleMs`. Several workers may see the same dead holder's
   * lock: each renames the lock away and checks that what it took is still stale. If another
   * worker got there first and a new holder has the lock by now, the new lock is put back (a hard
   * link, which fails rather than replace a lock taken meanwhile).
   */
  breakIfStale(seenBefore?: Stats): void {
    let seen: Stats;
    try {
      // `seenBefore`: what this worker saw earlier (tests replay a slow worker with it).
      seen = seenBefore ?? lstatSync(this.lockFile);
    } catch {
      return; // released meanwhile
    }
    if (Date.now() - seen.mtimeMs <= this.staleMs) return;
    const tmp = `${this.lockFile}${randomUUID()}.break`;
    try {
      renameSync(this.lockFile, tmp);
    } catch {
      return; // broken or released by someone else
    }
    try {
      // Inodes are reused at once, so the age tells a new holder's lock from the stale one.
      const taken = lstatSync(tmp);
      if (Date.now() - taken.mtimeMs <= this.staleMs) {
        try {
          linkSync(tmp, this.lockFile);
        } catch {
          // a third worker took the free lock meanwhile; the one we took is gone either way
        }
      }
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
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
