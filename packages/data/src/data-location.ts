import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FASHION_MNIST_FILES, type Split, SYSTEM_DATA_DIR } from './fashion-mnist';

export type LocationKind = 'dir' | 'env' | 'cache' | 'system' | 'download';

export interface Candidate {
  kind: LocationKind;
  dir: string;
}

export interface DataLocation extends Candidate {
  /** Resolved paths of the split's images and labels files. */
  images: string;
  labels: string;
}

/** The default cache: `$FMNIST_CACHE_DIR`, else `$XDG_CACHE_HOME/fmnist/fashion-mnist`, else `~/.cache/fmnist/fashion-mnist`. */
export function defaultCacheDir(): string {
  if (process.env.FMNIST_CACHE_DIR) return process.env.FMNIST_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'fmnist', 'fashion-mnist');
}

/**
 * The places searched. A directory the caller names is authoritative (torchvision's `root`): it is
 * the only place. Otherwise, in order: `$FMNIST_DATA_DIR`, the cache, the system directory.
 */
export function candidateDirs(options: { dir?: string; cacheDir?: string; systemDir?: string } = {}): Candidate[] {
  if (options.dir) return [{ kind: 'dir', dir: options.dir }];
  const list: Candidate[] = [];
  if (process.env.FMNIST_DATA_DIR) list.push({ kind: 'env', dir: process.env.FMNIST_DATA_DIR });
  list.push({ kind: 'cache', dir: options.cacheDir ?? defaultCacheDir() });
  list.push({ kind: 'system', dir: options.systemDir ?? SYSTEM_DATA_DIR });
  return list;
}

/** A file by base name in a directory, gzipped (`.gz`) or not; undefined when absent. */
export function findFile(dir: string, baseName: string): string | undefined {
  for (const name of [`${baseName}.gz`, baseName]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The first candidate that holds both files of the split, or undefined. */
export function locateSplit(split: Split, candidates: Candidate[]): DataLocation | undefined {
  const files = FASHION_MNIST_FILES[split];
  for (const candidate of candidates) {
    const images = findFile(candidate.dir, files.images);
    const labels = findFile(candidate.dir, files.labels);
    if (images && labels) return { ...candidate, images, labels };
  }
  return undefined;
}
