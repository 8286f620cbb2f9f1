import * as tfl from '@tensorflow/tfjs-layers';
import { torchInit } from './init';
import { followKerasFrozenBatchNorms } from './frozen-batch-norm';
import { ModelError } from './model-error';

function layerIndex(model: tfl.LayersModel, upTo: string | number): number {
  if (typeof upTo === 'number') {
    const i = upTo < 0 ? model.layers.length + upTo : upTo;
    if (!Number.isInteger(i) || i < 0 || i >= model.layers.length)
      throw new ModelError(`upTo: layer index ${upTo} out of range for ${model.layers.length} layers`);
    return i;
  }
  const i = model.layers.findIndex((l) => l.name === upTo);
  if (i < 0) throw new ModelError(`upTo: no layer named ${JSON.stringify(upTo)}; layers are ${model.layers.map((l) => l.name).join(', ')}`);
  return i;
}

/**
 * Freezes layers (`trainable = false`) from the first up to and including `upTo` (a name or an
 * index; negative counts from the end). Default: every layer but the last.
 * Frozen BatchNorm layers also stop updating their moving statistics, as in Keras.
 */
export function freeze(model: tfl.LayersModel, options: { upTo?: string | number } = {}): tfl.LayersModel {
  const last = layerIndex(model, options.upTo ?? -2);
  model.layers.forEach((layer, i) => {
    if (i <= last) layer.trainable = false;
  });
  // tfjs-layers' own BatchNormalization would keep training on batch statistics: not once frozen here.
  followKerasFrozenBatchNorms(model);
  return model;
}

/** Makes layers trainable again: all, or those from `from` (name or index) on. */
export function unfreeze(model: tfl.LayersModel, options: { from?: string | number } = {}): tfl.LayersModel {
  const first = options.from === undefined ? 0 : layerIndex(model, options.from);
  model.layers.forEach((layer, i) => {
    if (i >= first) layer.trainable = true;
  });
  return model;
}

export interface ReplaceHeadOptions {
  /** Classes of the new head. */
  classes: number;
  /** Layers removed from the end before the new head. Default 1 (the old logits layer). */
  removeLayers?: number;
  /** Hidden widths of the new head, before the logits. Default none. */
  hidden?: number[];
  /** Seed of the new head's weights. Default 0. */
  seed?: number;
}

/**
 * A new model that shares the base's layers (and weights, by reference) and ends in a freshly
 * initialised head for `classes` classes: transfer learning's "new head".
 * Outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 */
export function replaceHead(model: tfl.LayersModel, options: ReplaceHeadOptions): tfl.LayersModel {
  const remove = options.removeLayers ?? 1;
  if (!Number.isInteger(options.classes) || options.classes < 1) throw new ModelError(`classes: expected a positive integer, got ${options.classes}`);
  if (remove < 0 || remove >= model.layers.length) throw new ModelError(`removeLayers: expected 0 to ${model.layers.length - 1}, got ${remove}`);
  const base = model.layers.slice(0, model.layers.length - remove);
  const seed = options.seed ?? 0;
  const input = tfl.input({ shape: (model.inputs[0].shape as number[]).slice(1) });
  let x = input as tfl.SymbolicTensor;
  for (const layer of base) x = layer.apply(x) as tfl.SymbolicTensor;
  let fanIn = (x.shape as number[]).slice(1).reduce((a, b) => a * b, 1);
  if (x.shape.length > 2) x = tfl.layers.flatten({ name: 'head_flatten' }).apply(x) as tfl.SymbolicTensor;
  (options.hidden ?? []).forEach((units, i) => {
    x = tfl.layers.dense({ units, activation: 'relu', name: `head_dense_${i + 1}`, ...torchInit(seed, 1000 + i, fanIn) }).apply(x) as tfl.SymbolicTensor;
    fanIn = units;
  });
  const logits = tfl.layers.dense({ units: options.classes, name: 'head_logits', ...torchInit(seed, 2000, fanIn) }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: `${model.name}_transfer` });
}
