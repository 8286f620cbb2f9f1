import { DataError } from './data-error';
/**
 * An image classification set held in memory as bytes (47 MB for Fashion-MNIST train):
 * images are converted to float only per batch.
 */
export interface ImageDataset {
  /** Pixels, NHWC, row-major, `count * height * width * channels` bytes. */
  images: Uint8Array;
  /** One class index per image. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  classNames: readonly string[];
}

/** Number of values in one image. */
export function imageSize(ds: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return ds.height * ds.width * ds.channels;
}

/** A new dataset holding the given images, in the given order (copies the bytes). */
export function selectIndices(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const size = imageSize(ds);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    if (!Number.isInteger(src) || src < 0 || src >= ds.count) {
      throw new DataError('selectIndices', `index ${src} out of range [0, ${ds.count})`);
    }
    images.set(ds.images.subarray(src * size, (src + 1) * size), i * size);
    labels[i] = ds.labels[src];
  }
  return { ...ds, images, labels, count: indices.length };
}

/** Number of images of each class. */
export function classHistogram(ds: Pick<ImageDataset, 'labels' | 'classNames'>): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
}
