import { DataError } from './data-error';
import type { IdxArray } from './idx-types';
import type { ImageDataset } from './image-dataset';

/** Validates a decoded images/labels pair and turns it into a dataset. */
export function idxArraysToDataset(
  images: IdxArray,
  labels: IdxArray,
  sources: { images: string; labels: string },
  classNames?: readonly string[],
): ImageDataset {
  if (images.dtype !== 'uint8') {
    throw new DataError(sources.images, `expected uint8 images (type 0x08), found ${images.dtype}`);
  }
  if (images.shape.length !== 3 && images.shape.length !== 4) {
    throw new DataError(sources.images, `expected images of shape [n, h, w] or [n, h, w, c], found [${images.shape.join(', ')}]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new DataError(sources.labels, `expected uint8 labels of shape [n], found ${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  const [count, height, width, channels = 1] = images.shape;
  if (labels.shape[0] !== count) {
    throw new DataError(sources.labels, `label count ${labels.shape[0]} does not match image count ${count} in ${sources.images}`);
  }
  const labelData = labels.data as Uint8Array;
  let maxLabel = 0;
  for (const label of labelData) if (label > maxLabel) maxLabel = label;
  const names = classNames ?? Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  if (maxLabel >= names.length) {
    const at = labelData.findIndex((l) => l >= names.length);
    throw new DataError(sources.labels, `label ${labelData[at]} at index ${at} is out of range: expected 0..${names.length - 1}`);
  }
  return { images: images.data as Uint8Array, labels: labelData, count, height, width, channels, classNames: names };
}
