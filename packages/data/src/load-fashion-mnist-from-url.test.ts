import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES, SYSTEM_DATA_DIR } from './fashion-mnist';
import { loadFashionMnist } from './load-fashion-mnist';
import { loadFashionMnistFromUrl } from './load-fashion-mnist-from-url';

/** Serves the system copy of the official files, as a web server would. */
const serveSystemDir: typeof fetch = async (input) => {
  const name = String(input).split('/').at(-1) as string;
  try {
    return new Response(readFileSync(join(SYSTEM_DATA_DIR, name)));
  } catch {
    return new Response('not found', { status: 404, statusText: 'Not Found' });
  }
};

describe('loadFashionMnistFromUrl', () => {
  it('loads the real test split over fetch with progress, equal to the file loader', async () => {
    const progress = new Map<string, number>();
    const test = await loadFashionMnistFromUrl('https://example.test/fashion/', {
      split: 'test',
      fetch: serveSystemDir,
      onProgress: ({ file, loaded, total }) => progress.set(file, loaded / total),
    });
    expect(test.count).toBe(10_000);
    expect(test.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect([...progress.values()]).toEqual([1, 1]);
    const reference = await loadFashionMnist({ split: 'test', download: false });
    expect(Buffer.from(test.images).equals(Buffer.from(reference.images))).toBe(true);
    expect(Buffer.from(test.labels).equals(Buffer.from(reference.labels))).toBe(true);
  });

  it('names the URL when the server answers with an error', async () => {
    await expect(loadFashionMnistFromUrl('https://example.test/data', { split: 'test', suffix: '.missing', fetch: serveSystemDir })).rejects.toThrow(
      /https:\/\/example\.test\/data\/t10k-(images-idx3|labels-idx1)-ubyte\.missing: HTTP 404 Not Found/,
    );
  });
});
