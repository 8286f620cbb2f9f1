import { Callback } from './callback';

export interface BackupAndRestoreOptions {
  /** Directory of the backup: `checkpoint.json` and its weights (the full training state). */
  backupDir: string;
  /**
   * Remove the backup when `fit` ends (completed or stopped by a callback; an interrupted or killed
   * run keeps it). Default true, as Keras. False keeps a finished run's state, so a rerun of the
   * same fit returns at once with the same weights and history.
   */
  deleteCheckpoint?: boolean;
}

/**
 * Keras' `BackupAndRestore`: the full training state is saved to `backupDir` at the end of every
 * epoch, and a `fit` given this callback whose `backupDir` holds a backup resumes from it, exactly
 * (same losses, weights and callback states as an uninterrupted run; the backup must come from the
 * same run, or `fit` refuses it naming the field). Node only (files).
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly deleteCheckpoint: boolean;

  constructor(options: BackupAndRestoreOptions) {
    super();
    this.backupDir = options.backupDir;
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
  }

  /** After every callback's onEpochEnd, so their states of this epoch are in the backup. */
  async afterEpochEnd(): Promise<void> {
    await this.trainer.saveCheckpoint(this.backupDir);
  }
}
