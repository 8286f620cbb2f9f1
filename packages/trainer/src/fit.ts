import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataLoader, ImageDataset } from '@fmnist/data';
import { resolve } from 'node:path';
import { BackupAndRestore } from './callbacks/backup-and-restore';
import { ModelCheckpoint } from './callbacks/model-checkpoint';
import { TrainerError } from './trainer-error';
import { hasCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import { type CheckpointIO, type FitOptions, fitWith, type History } from './fit-core';
import type { Trainable } from './trainable';

export type { FitHyperparameters, FitOptions, FitRuntimeOptions, History } from './fit-core';

/** Checkpoints as files; SIGINT (Ctrl-C) as the interrupt. */
const nodeIO: CheckpointIO = {
  read: readCheckpoint,
  write: writeCheckpoint,
  onInterrupt(handler) {
    process.once('SIGINT', handler);
    return () => process.removeListener('SIGINT', handler);
  },
};

/**
 * Trains a model with our own seeded loop: per-batch callbacks, LR changes every step, gradient
 * clipping, label smoothing, validation each epoch, checkpoints and exact resume. The same seed on
 * the same backend gives the same history, bit for bit.
 */
export async function fit(model: tfl.LayersModel | Trainable, train: DataLoader | ImageDataset, options: FitOptions = {}): Promise<History> {
  const backup = options.callbacks?.find((c): c is BackupAndRestore => c instanceof BackupAndRestore);
  // Both write checkpoint.json: the backup's removal would take the checkpoint's resume state with it.
  const shared = backup && options.callbacks?.find((c): c is ModelCheckpoint => c instanceof ModelCheckpoint && resolve(c.dir) === resolve(backup.backupDir));
  if (backup && shared) {
    throw new TrainerError(
      `BackupAndRestore.backupDir: ${backup.backupDir} is also ModelCheckpoint's dir; give each its own directory (both write checkpoint.json)`,
    );
  }
  // A BackupAndRestore with a backup resumes from it, unless the caller names a checkpoint itself.
  const resumeFrom = options.resumeFrom ?? (backup && hasCheckpoint(backup.backupDir) ? backup.backupDir : undefined);
  const history = await fitWith(nodeIO, model, train, { ...options, resumeFrom });
  // Only the backup's own files (and the directories it created, once empty): never a user's.
  if (backup?.deleteCheckpoint && history.stopReason !== 'interrupted') backup.removeBackup();
  return history;
}
