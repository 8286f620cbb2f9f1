import type { IdxArray } from '../idx-types';

export const samples: IdxArray[] = [
  { dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 2, 253, 254, 255) },
  { dtype: 'int8', shape: [4], data: Int8Array.of(-128, -1, 0, 127) },
  { dtype: 'int16', shape: [2, 2], data: Int16Array.of(-32768, -2, 258, 32767) },
  { dtype: 'int32', shape: [3], data: Int32Array.of(-2147483648, 16909060, 2147483647) },
  { dtype: 'float32', shape: [1, 1, 3], data: Float32Array.of(-1.5, 0, 3.25) },
  { dtype: 'float64', shape: [2], data: Float64Array.of(Math.PI, -1e300) },
];

/** Header bytes for a given type code and dims (big-endian). */
export function header(code: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return out;
}

export const malformed: [string, Uint8Array, RegExp][] = [
  ['too short for a magic number', Uint8Array.of(0, 0), /at least a 4-byte magic/],
  ['bad magic', Uint8Array.of(1, 2, 8, 1, 0, 0, 0, 0), /expected magic 00 00/],
  ['unknown type code', Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 0), /unknown IDX type code 0x0a/],
  ['zero dimensions', Uint8Array.of(0, 0, 8, 0), /dimension count is 0/],
  ['truncated header', Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), /truncated IDX header: 3 dimensions need 16 bytes, found 8/],
  ['truncated payload', Uint8Array.from([...header(8, [2, 2]), 1, 2, 3]), /truncated IDX payload.*needs 16 bytes, found 15/],
  ['trailing bytes', Uint8Array.from([...header(8, [2]), 1, 2, 3]), /trailing bytes.*needs 10 bytes, found 11/],
  ['truncated multi-byte payload', Uint8Array.from([...header(0x0d, [2]), 0, 0, 0, 0, 0]), /needs 16 bytes, found 13/],
];
