import { DataLoader, type ImageDataset, Resize } from '@fmnist/data';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './model-error';
import { loaderNormalization } from './loader-normalization';
import { checkPreparable } from './model-input';
import type { ModelInput } from './model-metadata';

export interface InputLoaderOptions {
  /** Images per batch. Default 500. */
  batchSize?: number;
  /** `'oneHot'` or `'index'` labels, as DataLoader takes them. Default `'oneHot'`. */
  labels?: 'oneHot' | 'index';
}

/**
 * A loader that prepares `dataset` as `input` says (a model's convention, `modelInput(model)`):
 * in order, in its layout and normalisation, resized to its height x width when the images are
 * another size (as `fmnist train --augment resize` and `fmnist eval` resize).
 */
export function inputLoader(dataset: ImageDataset, input: ModelInput, options: InputLoaderOptions = {}): DataLoader {
  checkPreparable(input, 'dataset');
  if (dataset.channels !== input.channels) {
    throw new ModelError(`dataset: images have ${dataset.channels} channel(s), the model takes ${input.channels}`);
  }
  const resize = dataset.height !== input.height || dataset.width !== input.width;
  return new DataLoader(dataset, {
    batchSize: options.batchSize ?? 500,
    shuffle: false,
    layout: input.layout,
    normalize: input.normalize,
    labels: options.labels,
    transform: resize ? new Resize({ size: [input.height, input.width] }) : undefined,
  });
}

/**
 * The input convention a loader prepares for `model`: the loader's layout, its normalisation with
 * the deterministic steps of its transform folded in (`loaderNormalization`: a Normalize transform
 * is part of it), the steps that cannot be folded (`preprocessing`), and the image size the model
 * takes (its input shape; the dataset's where the shape leaves it open, so a resizing transform is
 * accounted for).
 */
export function loaderInput(model: tfl.LayersModel, loader: DataLoader): ModelInput {
  const { layout } = loader.options;
  const ds = loader.dataset;
  const shape = model.inputs[0].shape;
  let [height, width, channels] = [ds.height, ds.width, ds.channels];
  if (shape.length === 4) {
    [height, width, channels] = [shape[1] ?? height, shape[2] ?? width, shape[3] ?? channels];
  } else if (shape.length === 2 && typeof shape[1] === 'number' && shape[1] !== height * width * channels) {
    const side = Math.round(Math.sqrt(shape[1] / channels));
    if (side * side * channels === shape[1]) [height, width] = [side, side];
  }
  const folded = loaderNormalization(loader.options, ds);
  return { layout, height, width, channels, normalize: folded.normalize, ...(folded.unexpressed.length > 0 ? { preprocessing: folded.unexpressed } : {}) };
}
