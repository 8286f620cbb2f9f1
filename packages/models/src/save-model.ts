import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemHandler } from './file-io-handler';
import type { ModelMetadata } from './model-metadata';
import { ModelError } from './model-error';

/** Saves a layers model and its metadata to a directory (model.json + shards), atomically. */
export async function saveModel(model: tfl.LayersModel, dir: string, metadata?: ModelMetadata): Promise<void> {
  if (metadata) model.setUserDefinedMetadata({ fmnist: metadata as unknown as Record<string, never> });
  await model.save(fileSystemHandler(dir));
}

/**
 * Loads a layers model from a directory written by `saveModel` (or any tfjs layers model.json,
 * from a directory, a `file://` path or an http(s) URL), with its metadata when present.
 */
export async function loadModel(location: string): Promise<{ model: tfl.LayersModel; metadata?: ModelMetadata }> {
  let model: tfl.LayersModel;
  try {
    if (/^https?:\/\//.test(location)) model = await tfl.loadLayersModel(location);
    else {
      const dir = location.replace(/^file:\/\//, '').replace(/\/model\.json$/, '');
      model = await tfl.loadLayersModel(fileSystemHandler(dir));
    }
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError(`${location}: cannot load the model (${(error as Error).message})`);
  }
  const user = model.getUserDefinedMetadata() as { fmnist?: ModelMetadata } | undefined;
  return { model, metadata: user?.fmnist };
}
