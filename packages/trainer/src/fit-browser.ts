import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataLoader, ImageDataset } from '@fmnist/data';
import { type FitOptions, fitWith, type History } from './fit-core';
import type { Trainable } from './trainable';

/**
 * The browser's `fit`: the same seeded loop, without file checkpoints (`resumeFrom`,
 * `interruptCheckpointDir` and ModelCheckpoint need Node). Stop it from a button with a callback
 * that sets `this.trainer.stopTraining`; an `onBatchEnd` that awaits a frame keeps the page responsive.
 */
export function fit(model: tfl.LayersModel | Trainable, train: DataLoader | ImageDataset, options: FitOptions = {}): Promise<History> {
  return fitWith(undefined, model, train, options);
}
