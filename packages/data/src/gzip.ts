import { constants, gunzipSync, gzipSync } from 'node:zlib';

/** True when the bytes start with the gzip magic number (1f 8b): detected by content, never by file name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

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
