import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataLoader, ImageDataset } from '@fmnist/data';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { type CheckpointIO, type FitOptions, fitWith, type History } from './fit-core';
import type { Trainable } from './trainable';

export type { FitOptions, History } from './fit-core';

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
export function fit(model: tfl.LayersModel | Trainable, train: DataLoader | ImageDataset, options: FitOptions = {}): Promise<History> {
  return fitWith(nodeIO, model, train, options);
}
