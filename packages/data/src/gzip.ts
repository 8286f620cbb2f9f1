import { constants, gunzipSync, gzipSync } from 'node:zlib';

export { isGzip } from './is-gzip';

/**
 * Decompresses at most `maxBytes` of a gzip stream. With `partial`, a truncated stream yields
 * what it has instead of throwing (used to read an IDX header before committing to the payload).
 */
export function gunzip(bytes: Uint8Array, maxBytes: number, partial = false): Uint8Array {
  const out = gunzipSync(bytes, {
    maxOutputLength: Math.max(1, Math.min(maxBytes, 2 ** 32 - 1)),
    ...(partial ? { finishFlush: constants.Z_SYNC_FLUSH } : {}),
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function gzip(bytes: Uint8Array): Uint8Array {
  const out = gzipSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
