import { readFileSync, writeFileSync } from 'node:fs';
import { DataError } from './data-error';
import { type EncodeIdxOptions, encodeIdx } from './encode-idx';
import type { IdxArray } from './idx-types';
import { parseIdx } from './parse-idx';
import { writeFileAtomic } from './write-file-atomic';

/** Reads and parses an IDX file (plain or gzipped). Errors name the file. */
export function readIdxFile(path: string, options: { maxBytes?: number } = {}): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(path, code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`);
  }
  return parseIdx(bytes, { source: path, ...options });
}

/** Writes an IDX file atomically (temp file + rename). */
export function writeIdxFile(path: string, array: IdxArray, options: EncodeIdxOptions & { atomic?: boolean } = {}): void {
  const bytes = encodeIdx(array, options);
  if (options.atomic === false) writeFileSync(path, bytes);
  else writeFileAtomic(path, bytes);
}
