import { DataError } from './data-error';
/** The element types of the IDX format, by the type code in byte 2 of the magic number. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxTypedArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: element type, dimensions and the values in row-major order. */
export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxTypedArray;
}

export interface IdxTypeInfo {
  code: number;
  dtype: IdxDtype;
  bytes: number;
}

export const IDX_TYPES: readonly IdxTypeInfo[] = [
  { code: 0x08, dtype: 'uint8', bytes: 1 },
  { code: 0x09, dtype: 'int8', bytes: 1 },
  { code: 0x0b, dtype: 'int16', bytes: 2 },
  { code: 0x0c, dtype: 'int32', bytes: 4 },
  { code: 0x0d, dtype: 'float32', bytes: 4 },
  { code: 0x0e, dtype: 'float64', bytes: 8 },
];

export function idxTypeByCode(code: number): IdxTypeInfo | undefined {
  return IDX_TYPES.find((t) => t.code === code);
}

export function idxTypeByDtype(dtype: IdxDtype): IdxTypeInfo {
  const info = IDX_TYPES.find((t) => t.dtype === dtype);
  if (!info) throw new DataError('dtype', `unknown IDX dtype ${String(dtype)}`);
  return info;
}
