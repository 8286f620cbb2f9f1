import { gzip } from './gzip';
import type { IdxArray } from './idx-types';
import { idxTypeByDtype } from './idx-types';
import { DataError } from './data-error';

export interface EncodeIdxOptions {
  /** Gzip the result. Default false. */
  gzip?: boolean;
}

/** Encodes an array as IDX bytes (big-endian), optionally gzipped. */
export function encodeIdx(array: IdxArray, options: EncodeIdxOptions = {}): Uint8Array {
  const info = idxTypeByDtype(array.dtype);
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.shape.length === 0 || array.shape.length > 255) {
    throw new DataError('encodeIdx', `shape must have 1 to 255 dimensions, got ${array.shape.length}`);
  }
  if (count !== array.data.length) {
    throw new DataError('encodeIdx', `shape [${array.shape.join(', ')}] holds ${count} values but data has ${array.data.length}`);
  }
  const headerBytes = 4 + 4 * array.shape.length;
  const out = new Uint8Array(headerBytes + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = array.shape.length;
  array.shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  const data = array.data;
  for (let i = 0; i < count; i++) {
    const offset = headerBytes + i * info.bytes;
    switch (info.dtype) {
      case 'uint8':
        view.setUint8(offset, data[i]);
        break;
      case 'int8':
        view.setInt8(offset, data[i]);
        break;
      case 'int16':
        view.setInt16(offset, data[i], false);
        break;
      case 'int32':
        view.setInt32(offset, data[i], false);
        break;
      case 'float32':
        view.setFloat32(offset, data[i], false);
        break;
      case 'float64':
        view.setFloat64(offset, data[i], false);
        break;
    }
  }
  return options.gzip ? gzip(out) : out;
}
