import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIdxDataset } from './load-idx-dataset';
import { writeIdxFile } from './read-idx-file';

function files(images: Parameters<typeof writeIdxFile>[1], labels: Parameters<typeof writeIdxFile>[1]) {
  const dir = mkdtempSync(join(tmpdir(), 'idxds-'));
  writeIdxFile(join(dir, 'img'), images);
  writeIdxFile(join(dir, 'lbl'), labels);
  return { images: join(dir, 'img'), labels: join(dir, 'lbl') };
}

describe('loadIdxDataset', () => {
  it('loads a consistent pair', () => {
    const ds = loadIdxDataset(
      files({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) }, { dtype: 'uint8', shape: [3], data: Uint8Array.of(0, 2, 1) }),
    );
    expect(ds).toMatchObject({ count: 3, height: 2, width: 2, channels: 1, classNames: ['0', '1', '2'] });
  });

  it('rejects mismatched counts, out-of-range labels and wrong types', () => {
    expect(() =>
      loadIdxDataset(files({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) }, { dtype: 'uint8', shape: [2], data: Uint8Array.of(0, 1) })),
    ).toThrow(/lbl: label count 2 does not match image count 3/);
    expect(() =>
      loadIdxDataset({
        ...files({ dtype: 'uint8', shape: [2, 1, 1], data: new Uint8Array(2) }, { dtype: 'uint8', shape: [2], data: Uint8Array.of(0, 5) }),
        classNames: ['a', 'b'],
      }),
    ).toThrow(/label 5 at index 1 is out of range: expected 0\.\.1/);
    expect(() =>
      loadIdxDataset(files({ dtype: 'float32', shape: [1, 1, 1], data: new Float32Array(1) }, { dtype: 'uint8', shape: [1], data: new Uint8Array(1) })),
    ).toThrow(/img: expected uint8 images/);
    expect(() =>
      loadIdxDataset(files({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) }, { dtype: 'uint8', shape: [4], data: new Uint8Array(4) })),
    ).toThrow(/expected images of shape \[n, h, w\]/);
  });
});
