import { DataError } from './data-error';
import { DEFAULT_MAX_BYTES, decodeIdx, type ParseIdxOptions, parseIdxHeader } from './decode-idx';
import { gunzip } from './gzip';
import { isGzip } from './is-gzip';
import type { IdxArray } from './idx-types';

/**
 * Parses an IDX file (plain or gzipped, detected by magic bytes) into a typed array.
 * Everything is validated before the payload is allocated: magic, type code, dimension count,
 * header length, and payload length against the product of the dimensions.
 */
export function parseIdx(input: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const source = options.source ?? '<bytes>';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes = input;
  if (isGzip(input)) {
    let prefix: Uint8Array;
    try {
      // Inflate only the first 4 KiB of input (at most ~4 MB out: deflate's ratio is bounded by
      // ~1032:1) to read the header, so a bomb or an absurd claim is caught cheaply.
      prefix = gunzip(input.subarray(0, Math.min(input.length, 4096)), 8 * 1024 ** 2, true);
    } catch (error) {
      throw new DataError(source, `corrupt gzip stream: ${(error as Error).message}`);
    }
    const header = parseIdxHeader(prefix, source, maxBytes);
    const expected = header.headerBytes + header.payloadBytes;
    try {
      bytes = gunzip(input, expected + 1);
    } catch (error) {
      const message = (error as Error).message;
      if (/maxOutputLength|buffer/i.test(message)) {
        throw new DataError(source, `trailing bytes: expected ${expected} bytes after decompression, found more`);
      }
      throw new DataError(source, `corrupt or truncated gzip stream: ${message}`);
    }
  }
  return decodeIdx(bytes, source, maxBytes);
}
