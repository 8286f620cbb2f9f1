import { readFileSync } from 'node:fs';
import { DataError } from './data-error';
import { gunzip, isGzip } from './gzip';
import { verifySha256 } from './verify-sha256';

/** Reads a file, decompresses it when gzipped, and checks the payload's sha256 when one is given. */
export function readPayloadVerified(path: string, sha256: string | undefined): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(path, `cannot read: ${(error as Error).message}`);
  }
  if (isGzip(bytes)) {
    try {
      bytes = gunzip(bytes, 2 ** 31);
    } catch (error) {
      throw new DataError(path, `corrupt gzip stream: ${(error as Error).message}`);
    }
  }
  if (sha256) verifySha256(bytes, sha256, path);
  return bytes;
}
