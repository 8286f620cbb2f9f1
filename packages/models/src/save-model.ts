import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemHandler } from './file-io-handler';
import { loadedMetadata, type ModelMetadata, recordSavedMetadata } from './model-metadata';
import { ModelError } from './model-error';

/**
 * Saves a layers model and its metadata to a directory (model.json + shards), atomically. Fields
 * the metadata lacks come from what the model carries (`getModelMetadata`): the input convention
 * and classes `fit` recorded, the zoo name and options `createModel` recorded, else its tfjs name.
 */
export async function saveModel(model: tfl.LayersModel, dir: string, metadata?: Partial<ModelMetadata>): Promise<void> {
  recordSavedMetadata(model, metadata);
  await model.save(fileSystemHandler(dir));
}

/**
 * Loads a layers model from a directory written by `saveModel` (or any tfjs layers model.json,
 * from a directory, a `file://` path or an http(s) URL), with its metadata when present. The model
 * carries it (`getModelMetadata`), so `modelInput`, `predict` and `evaluate` prepare its inputs as
 * it was trained without being told.
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
  return { model, metadata: loadedMetadata(model) };
}
