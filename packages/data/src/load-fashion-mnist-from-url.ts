import { DataError } from './data-error';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_COUNTS, FASHION_MNIST_FILES, type Split } from './fashion-mnist';
import { idxArraysToDataset } from './idx-arrays-to-dataset';
import type { ImageDataset } from './image-dataset';
import { parseIdxAsync } from './parse-idx-async';

export interface FetchFashionMnistProgress {
  file: string;
  /** Decompressed bytes parsed so far, and the file's total once its header is read. */
  loaded: number;
  total: number;
}

export interface LoadFashionMnistFromUrlOptions {
  /** Which split. Default `'train'`. */
  split?: Split;
  /** File name suffix on the server. Default `'.gz'` (the official files). */
  suffix?: string;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  onProgress?: (progress: FetchFashionMnistProgress) => void;
  signal?: AbortSignal;
}

/**
 * Loads a Fashion-MNIST split from a base URL that serves the official files
 * (`train-images-idx3-ubyte.gz`, ...). Runs in browsers and in Node: fetch, then streaming gzip
 * and IDX parsing with progress. Counts are checked against the official ones.
 */
export async function loadFashionMnistFromUrl(baseUrl: string | URL, options: LoadFashionMnistFromUrlOptions = {}): Promise<ImageDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new DataError('options.split', `expected 'train' or 'test', found ${JSON.stringify(split)}`);
  const doFetch = options.fetch ?? globalThis.fetch;
  const files = FASHION_MNIST_FILES[split];
  const base = String(baseUrl).endsWith('/') ? String(baseUrl) : `${baseUrl}/`;
  const load = async (name: string) => {
    const url = new URL(`${name}${options.suffix ?? '.gz'}`, base.includes('://') ? base : new URL(base, globalThis.location?.href ?? 'http://localhost/'))
      .href;
    let response: Response;
    try {
      response = await doFetch(url, { signal: options.signal });
    } catch (error) {
      throw new DataError(url, `cannot fetch: ${(error as Error).message}`);
    }
    if (!response.ok || !response.body) throw new DataError(url, `HTTP ${response.status} ${response.statusText}`.trim());
    return parseIdxAsync(response.body, { source: url, onProgress: (loaded, total) => options.onProgress?.({ file: name, loaded, total }) });
  };
  const [images, labels] = await Promise.all([load(files.images), load(files.labels)]);
  const dataset = idxArraysToDataset(images, labels, { images: files.images, labels: files.labels }, FASHION_MNIST_CLASSES);
  if (dataset.count !== FASHION_MNIST_COUNTS[split] || dataset.height !== 28 || dataset.width !== 28) {
    throw new DataError(
      files.images,
      `expected ${FASHION_MNIST_COUNTS[split]} images of 28x28 for the ${split} split, found ${dataset.count} of ${dataset.height}x${dataset.width}`,
    );
  }
  return dataset;
}
