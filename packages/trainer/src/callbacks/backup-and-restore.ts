import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Callback } from './callback';

export interface BackupAndRestoreOptions {
  /**
   * Directory of the backup: `checkpoint.json` and its weights (the full training state). It may be
   * shared with other files (logs, a ModelCheckpoint folder): the backup removes only its own.
   */
  backupDir: string;
  /**
   * Remove the backup when `fit` ends (completed or stopped by a callback; an interrupted or killed
   * run keeps it). Default true, as Keras. False keeps a finished run's state, so a rerun of the
   * same fit returns at once with the same weights and history.
   */
  deleteCheckpoint?: boolean;
}

/** The files a checkpoint consists of (checkpoint.ts writes these and, atomically, their temporaries). */
const BACKUP_FILE = /^checkpoint(\.json|-[0-9a-f]+\.bin)(\.\d+\.[0-9a-f]+\.tmp)?$/;

/**
 * Keras' `BackupAndRestore`: the full training state is saved to `backupDir` at the end of every
 * epoch, and a `fit` given this callback whose `backupDir` holds a backup resumes from it, exactly
 * (same losses, weights and callback states as an uninterrupted run; the backup must come from the
 * same run, or `fit` refuses it naming the field). Node only (files).
 */
export class BackupAndRestore extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly backupDir: string;
  readonly deleteCheckpoint: boolean;
  /** How many directories, `backupDir` and up, the run created (kept in the backup, so a resumed run knows). */
  private createdLevels = 0;

  constructor(options: BackupAndRestoreOptions) {
    super();
    this.backupDir = options.backupDir;
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
  }

  /** Creates `backupDir`, noting the directories that were not there (a resume then restores the first run's count). */
  onTrainBegin(): void {
    const first = mkdirSync(this.backupDir, { recursive: true });
    this.createdLevels = first === undefined ? 0 : relative(first, this.backupDir).split(sep).filter(Boolean).length + 1;
  }

  /** After every callback's onEpochEnd, so their states of this epoch are in the backup. */
  async afterEpochEnd(): Promise<void> {
    await this.trainer.saveCheckpoint(this.backupDir);
  }

  getState(): Record<string, unknown> {
    return { createdLevels: this.createdLevels };
  }

  setState(state: Record<string, unknown>): void {
    if (typeof state.createdLevels === 'number') this.createdLevels = state.createdLevels;
  }

  /**
   * Removes the backup: its checkpoint files, then the directories this run created, each only if
   * it is then empty. Whatever else is in them (a user's files, logs, other checkpoints) stays.
   * `fit` calls it at the end of a run that completed or was stopped by a callback.
   */
  removeBackup(): void {
    if (!existsSync(this.backupDir)) return;
    for (const f of readdirSync(this.backupDir)) if (BACKUP_FILE.test(f)) rmSync(join(this.backupDir, f), { force: true });
    let dir = this.backupDir;
    for (let level = 0; level < this.createdLevels && readdirSync(dir).length === 0; level++) {
      rmdirSync(dir);
      dir = dirname(dir);
    }
  }
}
