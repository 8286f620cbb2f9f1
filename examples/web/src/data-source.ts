import {
  FASHION_MNIST_FILES,
  type FetchFashionMnistProgress,
  type ImageDataset,
  idxArraysToDataset,
  loadFashionMnistFromUrl,
  parseIdxAsync,
} from '@fmnist/data';

export interface FashionMnistData {
  train: ImageDataset;
  test: ImageDataset;
}

export type ProgressHandler = (progress: FetchFashionMnistProgress) => void;

/** The files the app serves at ./data/ (copied from wherever @fmnist/data found them at build time). */
export async function loadServed(onProgress: ProgressHandler): Promise<FashionMnistData> {
  const base = new URL('./data/', location.href);
  const [train, test] = await Promise.all([
    loadFashionMnistFromUrl(base, { split: 'train', onProgress }),
    loadFashionMnistFromUrl(base, { split: 'test', onProgress }),
  ]);
  return { train, test };
}

/** The four official files picked from disk (gzipped or not), matched by name. */
export async function loadPicked(files: readonly File[], onProgress: ProgressHandler): Promise<FashionMnistData> {
  const byName = (name: string) => {
    const file = files.find((f) => f.name === name || f.name === `${name}.gz`);
    if (!file) throw new Error(`missing ${name}.gz among the picked files (${files.map((f) => f.name).join(', ') || 'none'})`);
    return file;
  };
  const split = async (which: 'train' | 'test') => {
    const names = FASHION_MNIST_FILES[which];
    const parse = (name: string) => parseIdxAsync(byName(name), { source: name, onProgress: (loaded, total) => onProgress({ file: name, loaded, total }) });
    const [images, labels] = await Promise.all([parse(names.images), parse(names.labels)]);
    return idxArraysToDataset(images, labels, names);
  };
  const [train, test] = await Promise.all([split('train'), split('test')]);
  return { train, test };
}
