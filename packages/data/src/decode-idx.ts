import { DataError } from './data-error';
import { type IdxArray, type IdxTypedArray, type IdxTypeInfo, idxTypeByCode } from './idx-types';

export interface ParseIdxOptions {
  /** Name used in error messages (a file path, usually). Default `'<bytes>'`. */
  source?: string;
  /** Largest payload accepted, in bytes; guards against absurd headers. Default 2 GiB. */
  maxBytes?: number;
}

export interface IdxHeader {
  info: IdxTypeInfo;
  shape: number[];
  headerBytes: number;
  payloadBytes: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** Reads and validates the magic and dimensions, without touching the payload. */
export function parseIdxHeader(bytes: Uint8Array, source: string, maxBytes = DEFAULT_MAX_BYTES): IdxHeader {
  if (bytes.length < 4) {
    throw new DataError(source, `not an IDX file: expected at least a 4-byte magic number, found ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(source, `not an IDX file: expected magic 00 00 <type> <ndim>, found ${hex}`);
  }
  const info = idxTypeByCode(bytes[2]);
  if (!info) {
    throw new DataError(
      source,
      `unknown IDX type code 0x${bytes[2].toString(16).padStart(2, '0')}: expected one of 0x08 (u8), 0x09 (i8), 0x0b (i16), 0x0c (i32), 0x0d (f32), 0x0e (f64)`,
    );
  }
  const ndim = bytes[3];
  if (ndim === 0) throw new DataError(source, 'IDX dimension count is 0: expected at least 1 dimension');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataError(source, `truncated IDX header: ${ndim} dimensions need ${headerBytes} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    shape.push(dim);
    count *= dim;
  }
  const payloadBytes = count * info.bytes;
  if (payloadBytes > maxBytes) {
    throw new DataError(source, `IDX header claims shape [${shape.join(', ')}] = ${payloadBytes} bytes of ${info.dtype}, more than the ${maxBytes}-byte limit`);
  }
  return { info, shape, headerBytes, payloadBytes };
}

/** Validates and decodes uncompressed IDX bytes: header, then the payload's exact length. */
export function decodeIdx(bytes: Uint8Array, source = '<bytes>', maxBytes = DEFAULT_MAX_BYTES): IdxArray {
  const header = parseIdxHeader(bytes, source, maxBytes);
  const expected = header.headerBytes + header.payloadBytes;
  if (bytes.length < expected) {
    throw new DataError(
      source,
      `truncated IDX payload: shape [${header.shape.join(', ')}] of ${header.info.dtype} needs ${expected} bytes, found ${bytes.length}`,
    );
  }
  if (bytes.length > expected) {
    throw new DataError(source, `trailing bytes: shape [${header.shape.join(', ')}] of ${header.info.dtype} needs ${expected} bytes, found ${bytes.length}`);
  }
  return { dtype: header.info.dtype, shape: header.shape, data: decodePayload(bytes, header) };
}

function decodePayload(bytes: Uint8Array, header: IdxHeader): IdxTypedArray {
  const { info, headerBytes, payloadBytes } = header;
  const count = payloadBytes / info.bytes;
  const payload = bytes.subarray(headerBytes, headerBytes + payloadBytes);
  switch (info.dtype) {
    case 'uint8':
      return new Uint8Array(payload);
    case 'int8':
      return new Int8Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payloadBytes));
  }
  // Multi-byte types are big-endian on disk.
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  switch (info.dtype) {
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}
