/** True when the bytes start with the gzip magic number (1f 8b): detected by content, never by file name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
