import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_FILES } from '../fashion-mnist';
import type { ImageDataset } from '../image-dataset';
import { writeIdxFile } from '../read-idx-file';

/** A small synthetic Fashion-MNIST-shaped set: each image is filled with 10 * label + its index mod 10. */
export function syntheticDataset(count: number, classes = 10, size = 28): ImageDataset {
  const images = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    images.fill(((labels[i] * 10 + (i % 10)) * 2) % 256, i * size * size, (i + 1) * size * size);
  }
  return { images, labels, count, height: size, width: size, channels: 1, classNames: Array.from({ length: classes }, (_, i) => `c${i}`) };
}

/** Writes a synthetic split as gzipped IDX files with the official names; returns the directory. */
export function writeSyntheticSplit(dir: string, split: 'train' | 'test', count: number): string {
  mkdirSync(dir, { recursive: true });
  const ds = syntheticDataset(count);
  const files = FASHION_MNIST_FILES[split];
  writeIdxFile(join(dir, `${files.images}.gz`), { dtype: 'uint8', shape: [count, 28, 28], data: ds.images }, { gzip: true });
  writeIdxFile(join(dir, `${files.labels}.gz`), { dtype: 'uint8', shape: [count], data: ds.labels }, { gzip: true });
  return dir;
}
