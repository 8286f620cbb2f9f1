import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './model-error';
import { loadedMetadata, type ModelMetadata, recordSavedMetadata } from './model-metadata';

/** Where a browser finds a model: a URL (http(s), relative, `indexeddb://`, `localstorage://`), an IO handler, or picked files. */
export type BrowserModelSource = string | tf.io.IOHandler | readonly File[];

/**
 * The browser's `loadModel`: a model saved by `saveModel`/`fmnist train --out` served over HTTP,
 * stored in IndexedDB, or picked from disk as `model.json` plus its weight shards, with its metadata.
 */
export async function loadModel(source: BrowserModelSource): Promise<{ model: tfl.LayersModel; metadata?: ModelMetadata }> {
  let name = typeof source === 'string' ? source : '<io handler>';
  let handler: string | tf.io.IOHandler = source as string | tf.io.IOHandler;
  if (Array.isArray(source)) {
    const files = source as readonly File[];
    const json = files.find((f) => f.name.endsWith('.json'));
    if (!json) throw new ModelError(`picked files (${files.map((f) => f.name).join(', ') || 'none'}): expected a model.json and its .bin weight files`);
    name = json.name;
    handler = tf.io.browserFiles([json, ...files.filter((f) => f !== json)]);
  }
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(handler);
  } catch (error) {
    throw new ModelError(`${name}: cannot load the model (${(error as Error).message})`);
  }
  return { model, metadata: loadedMetadata(model) };
}

/**
 * The browser's `saveModel`: to a URL scheme tfjs knows (`indexeddb://name`, `downloads://name`, an
 * http endpoint), the metadata filled in from what the model carries as Node's `saveModel` does.
 */
export async function saveModel(model: tfl.LayersModel, destination: string | tf.io.IOHandler, metadata?: Partial<ModelMetadata>): Promise<void> {
  recordSavedMetadata(model, metadata);
  await model.save(destination);
}
