import { idxArraysToDataset } from './idx-arrays-to-dataset';
import type { ImageDataset } from './image-dataset';
import { readIdxFile } from './read-idx-file';

export interface LoadIdxDatasetOptions {
  /** Path of the images IDX file: uint8, shape [n, h, w] or [n, h, w, c]. */
  images: string;
  /** Path of the labels IDX file: uint8, shape [n]. */
  labels: string;
  /** Class names; their count bounds the labels. Default: `'0'..String(maxLabel)`. */
  classNames?: readonly string[];
}

/** Loads any IDX image set (MNIST, KMNIST, Fashion-MNIST...) and checks that it is consistent. */
export function loadIdxDataset(options: LoadIdxDatasetOptions): ImageDataset {
  return idxArraysToDataset(readIdxFile(options.images), readIdxFile(options.labels), { images: options.images, labels: options.labels }, options.classNames);
}
