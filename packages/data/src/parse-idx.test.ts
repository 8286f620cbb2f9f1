import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error';
import { encodeIdx } from './encode-idx';
import { gzip } from './gzip';
import { parseIdx } from './parse-idx';
import { readIdxFile, writeIdxFile } from './read-idx-file';
import { header, malformed, samples } from './test-utils/idx-fixtures';

describe('parseIdx', () => {
  it.each(samples)('round-trips $dtype plain and gzipped', (sample) => {
    for (const gz of [false, true]) {
      const parsed = parseIdx(encodeIdx(sample, { gzip: gz }));
      expect(parsed.dtype).toBe(sample.dtype);
      expect(parsed.shape).toEqual(sample.shape);
      expect(parsed.data.constructor).toBe(sample.data.constructor);
      expect(Array.from(parsed.data)).toEqual(Array.from(sample.data));
    }
  });

  it('stores multi-byte values big-endian, as the format says', () => {
    const bytes = encodeIdx({ dtype: 'int32', shape: [1], data: Int32Array.of(0x01020304) });
    expect(Array.from(bytes)).toEqual([0, 0, 0x0c, 1, 0, 0, 0, 1, 1, 2, 3, 4]);
  });

  it('detects gzip by magic bytes, not by name', () => {
    const bytes = gzip(encodeIdx(samples[0]));
    expect(parseIdx(bytes, { source: 'no-extension' }).shape).toEqual([2, 3]);
  });

  it.each(malformed)('rejects %s with an error naming the file', (_, bytes, message) => {
    expect(() => parseIdx(bytes, { source: 'bad.idx' })).toThrow(DataError);
    expect(() => parseIdx(bytes, { source: 'bad.idx' })).toThrow(/^bad\.idx: /);
    expect(() => parseIdx(bytes, { source: 'bad.idx' })).toThrow(message);
  });

  it('fails fast on a tiny file that claims 4 billion images', () => {
    const bytes = new Uint8Array(64);
    bytes.set(header(8, [4_000_000_000, 28, 28]));
    const before = process.memoryUsage().rss;
    expect(() => parseIdx(bytes, { source: 'huge.idx' })).toThrow(/claims shape \[4000000000, 28, 28\]/);
    expect(() => parseIdx(gzip(bytes), { source: 'huge.idx.gz' })).toThrow(/claims shape/);
    // Also when the claim fits the limit but the data is not there.
    const modest = new Uint8Array(64);
    modest.set(header(8, [1_000_000, 28, 28]));
    expect(() => parseIdx(gzip(modest), { source: 'm.gz' })).toThrow(/truncated IDX payload/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 ** 2);
  });

  it('rejects trailing bytes after decompression and corrupt gzip streams', () => {
    const bytes = Uint8Array.from([...header(8, [2]), 1, 2, 3]);
    expect(() => parseIdx(gzip(bytes), { source: 'x.gz' })).toThrow(/x\.gz: trailing bytes/);
    const corrupt = gzip(encodeIdx(samples[0]));
    corrupt[corrupt.length - 6] ^= 0xff; // breaks the CRC
    expect(() => parseIdx(corrupt, { source: 'c.gz' })).toThrow(/c\.gz: corrupt/);
  });
});

describe('readIdxFile / writeIdxFile', () => {
  it('round-trips through a file and names missing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    const path = join(dir, 'a.idx.gz');
    writeIdxFile(path, samples[3], { gzip: true });
    expect(Array.from(readIdxFile(path).data)).toEqual(Array.from(samples[3].data));
    expect(() => readIdxFile(join(dir, 'missing'))).toThrow(/missing: file not found/);
    writeFileSync(join(dir, 'text'), 'hello world');
    expect(() => readIdxFile(join(dir, 'text'))).toThrow(/text: not an IDX file/);
  });
});
