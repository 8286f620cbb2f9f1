import { basename, join } from 'node:path';
import { DataError } from './data-error';
import { type Candidate, candidateDirs, type DataLocation, defaultCacheDir, locateSplit } from './data-location';
import { downloadFile } from './download-file';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_COUNTS, FASHION_MNIST_FILES, FASHION_MNIST_MIRRORS, FASHION_MNIST_SHA256, type Split } from './fashion-mnist';
import { readPayloadVerified } from './read-payload';
import type { ImageDataset } from './image-dataset';
import { idxArraysToDataset } from './idx-arrays-to-dataset';
import { parseIdx } from './parse-idx';

export interface LoadFashionMnistOptions {
  /** Which split. Default `'train'`. */
  split?: Split;
  /** Read the data from this directory only (with `download`, missing files are downloaded into it). Default: search `$FMNIST_DATA_DIR`, the cache and the system directory. */
  dir?: string;
  /** Download cache. Default: see `defaultCacheDir()`. */
  cacheDir?: string;
  /** The system-wide directory. Default `/usr/share/datasets/fashion-mnist` (Debian's `dataset-fashion-mnist`). */
  systemDir?: string;
  /** Download from the official mirrors (into `dir`, else the cache) when nothing is found. Default true. */
  download?: boolean;
  /** Check the sha256 of each decompressed payload. Default true. */
  verify?: boolean;
  /** Mirrors to download from. Default `FASHION_MNIST_MIRRORS`. */
  mirrors?: readonly string[];
  /** Download progress. */
  onProgress?: (file: string, received: number, total: number | undefined) => void;
}

export interface FashionMnist extends ImageDataset {
  split: Split;
  location: DataLocation;
  /** True when both payloads matched the official sha256. */
  verified: boolean;
}

/**
 * Loads a Fashion-MNIST split from `dir` when given (and nowhere else), else from the first of
 * `$FMNIST_DATA_DIR`, the cache and `/usr/share/datasets/fashion-mnist` that has it, downloading
 * into `dir` or the cache when `download` allows.
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions = {}): Promise<FashionMnist> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new DataError('options.split', `expected 'train' or 'test', found ${JSON.stringify(split)}`);
  }
  const candidates = candidateDirs(options);
  let location = locateSplit(split, candidates);
  if (!location && options.download !== false) {
    location = await downloadSplit(split, options.dir ?? options.cacheDir ?? defaultCacheDir(), options);
  }
  if (!location) throw new DataError('Fashion-MNIST', notFoundMessage(split, candidates, options.download !== false));
  return readSplit(split, location, options.verify !== false);
}

/** Reads, checks and decodes the two files of a split at a known location. */
export function readSplit(split: Split, location: DataLocation, verify: boolean): FashionMnist {
  const files = FASHION_MNIST_FILES[split];
  const images = readPayloadVerified(location.images, verify ? FASHION_MNIST_SHA256[files.images] : undefined);
  const labels = readPayloadVerified(location.labels, verify ? FASHION_MNIST_SHA256[files.labels] : undefined);
  const ds = idxArraysToDataset(parseIdx(images, { source: location.images }), parseIdx(labels, { source: location.labels }), location, FASHION_MNIST_CLASSES);
  if (ds.height !== 28 || ds.width !== 28 || ds.channels !== 1) {
    throw new DataError(location.images, `expected 28x28 greyscale images, found ${ds.height}x${ds.width}x${ds.channels}`);
  }
  if (verify && ds.count !== FASHION_MNIST_COUNTS[split]) {
    throw new DataError(location.images, `expected ${FASHION_MNIST_COUNTS[split]} images, found ${ds.count}`);
  }
  return { ...ds, split, location, verified: verify };
}

async function downloadSplit(split: Split, cacheDir: string, options: LoadFashionMnistOptions): Promise<DataLocation> {
  const files = FASHION_MNIST_FILES[split];
  const mirrors = options.mirrors ?? FASHION_MNIST_MIRRORS;
  const paths: string[] = [];
  for (const base of [files.images, files.labels]) {
    const dest = join(cacheDir, `${base}.gz`);
    try {
      await downloadFile(
        mirrors.map((m) => `${m}${base}.gz`),
        dest,
        {
          onProgress: (r, t) => options.onProgress?.(basename(dest), r, t),
          validate: (part) => {
            readPayloadVerified(part, options.verify === false ? undefined : FASHION_MNIST_SHA256[base]);
          },
        },
      );
    } catch (error) {
      throw new DataError('Fashion-MNIST', `${notFoundMessage(split, candidateDirs(options), true)}\nDownload failed: ${(error as Error).message}`);
    }
    paths.push(dest);
  }
  return { kind: options.dir ? 'dir' : 'download', dir: cacheDir, images: paths[0], labels: paths[1] };
}

function notFoundMessage(split: Split, candidates: Candidate[], triedDownload: boolean): string {
  const files = FASHION_MNIST_FILES[split];
  const tried = candidates.map((c) => `${c.kind}: ${c.dir}`).join(', ');
  const where =
    candidates.length === 1 && candidates[0].kind === 'dir'
      ? `are not in ${candidates[0].dir} (the directory given, the only place looked at)`
      : `were not found; tried ${tried}`;
  return [
    `the ${split} files (${files.images}.gz, ${files.labels}.gz) ${where}${triedDownload ? ', nor at the official mirrors' : ''}.`,
    'Get them in one of three ways: (1) apt-get install dataset-fashion-mnist (Debian/Ubuntu);',
    '(2) fmnist data fetch (downloads into the cache);',
    '(3) download the four .gz files yourself and pass --dir DIR or set FMNIST_DATA_DIR.',
  ].join(' ');
}
