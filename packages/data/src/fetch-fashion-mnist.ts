import { join } from 'node:path';
import { FASHION_MNIST_FILES, FASHION_MNIST_MIRRORS, FASHION_MNIST_SHA256, type Split } from './fashion-mnist';
import { defaultCacheDir, findFile } from './data-location';
import { downloadFile } from './download-file';
import { readPayloadVerified } from './read-payload';

export interface FetchResult {
  file: string;
  path: string;
  /** `'present'` when a valid file was already there, else the URL it came from. */
  from: string;
}

/**
 * Makes sure the four Fashion-MNIST files are in `dir` (default: the cache), downloading the
 * missing ones from the official mirrors and checking every payload's sha256.
 */
export async function fetchFashionMnist(
  options: { dir?: string; mirrors?: readonly string[]; onProgress?: (file: string, received: number, total: number | undefined) => void } = {},
): Promise<FetchResult[]> {
  const dir = options.dir ?? defaultCacheDir();
  const results: FetchResult[] = [];
  for (const split of ['train', 'test'] as Split[]) {
    for (const base of [FASHION_MNIST_FILES[split].images, FASHION_MNIST_FILES[split].labels]) {
      const existing = findFile(dir, base);
      if (existing) {
        readPayloadVerified(existing, FASHION_MNIST_SHA256[base]);
        results.push({ file: base, path: existing, from: 'present' });
        continue;
      }
      const dest = join(dir, `${base}.gz`);
      const from = await downloadFile(
        (options.mirrors ?? FASHION_MNIST_MIRRORS).map((m) => `${m}${base}.gz`),
        dest,
        { onProgress: (r, t) => options.onProgress?.(base, r, t), validate: (part) => void readPayloadVerified(part, FASHION_MNIST_SHA256[base]) },
      );
      results.push({ file: base, path: dest, from });
    }
  }
  return results;
}
