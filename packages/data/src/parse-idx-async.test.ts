import { describe, expect, it } from 'vitest';
import { DataError } from './data-error';
import { encodeIdx } from './encode-idx';
import { gzip } from './gzip';
import { parseIdx } from './parse-idx';
import { parseIdxAsync } from './parse-idx-async';
import { header, malformed, samples } from './test-utils/idx-fixtures';

/** A stream that delivers `bytes` in chunks of `size`, as a slow network would. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

describe('parseIdxAsync', () => {
  it.each(samples)('matches parseIdx for $dtype from bytes, Blob and 1-byte chunks, plain and gzipped', async (sample) => {
    for (const gz of [false, true]) {
      const bytes = encodeIdx(sample, { gzip: gz });
      for (const input of [bytes, new Blob([bytes as Uint8Array<ArrayBuffer>]), chunked(bytes, 1), chunked(bytes, 7)]) {
        const parsed = await parseIdxAsync(input);
        expect(parsed.dtype).toBe(sample.dtype);
        expect(parsed.shape).toEqual(sample.shape);
        expect(parsed.data.constructor).toBe(sample.data.constructor);
        expect(Array.from(parsed.data)).toEqual(Array.from(parseIdx(bytes).data));
      }
    }
  });

  it.each(malformed)('rejects %s like parseIdx, naming the source', async (name, bytes, message) => {
    const expected = name === 'trailing bytes' ? /trailing bytes: the header needs 10 bytes/ : message;
    for (const input of [bytes, gzip(bytes), chunked(bytes, 3)]) {
      const error = await parseIdxAsync(input, { source: 'bad.idx' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect(String((error as Error).message)).toMatch(/^bad\.idx: /);
      expect(String((error as Error).message)).toMatch(expected);
    }
  });

  it('reports progress up to the decompressed size and names corrupt gzip streams', async () => {
    const sample = { dtype: 'uint8' as const, shape: [100, 28, 28], data: new Uint8Array(78_400).map((_, i) => i % 251) };
    const seen: [number, number][] = [];
    await parseIdxAsync(chunked(gzip(encodeIdx(sample)), 512), { onProgress: (loaded, total) => seen.push([loaded, total]) });
    expect(seen.at(-1)).toEqual([78_416, 78_416]);
    expect(seen.every(([l, t], i) => t === 78_416 && (i === 0 || l >= seen[i - 1][0]))).toBe(true);
    const corrupt = gzip(encodeIdx(samples[0]));
    corrupt[corrupt.length - 6] ^= 0xff;
    await expect(parseIdxAsync(corrupt, { source: 'c.gz' })).rejects.toThrow(/c\.gz: corrupt or truncated gzip stream/);
  });

  it('does not allocate what a short file claims', async () => {
    const modest = new Uint8Array(64);
    modest.set(header(8, [1_000_000, 28, 28]));
    const before = process.memoryUsage().arrayBuffers;
    await expect(parseIdxAsync(gzip(modest), { source: 'm.gz' })).rejects.toThrow(/m\.gz: truncated IDX payload/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 * 1024 ** 2);
  });
});
