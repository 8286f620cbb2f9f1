import { createHash } from 'node:crypto';
import { DataError } from './data-error';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws a DataError naming the file when the payload's sha256 differs from the expected one. */
export function verifySha256(bytes: Uint8Array, expected: string, source: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw new DataError(
      source,
      `sha256 of the decompressed payload is ${actual}, expected ${expected} (corrupt or not the official file; pass verify: false / --no-verify to skip)`,
    );
  }
}
