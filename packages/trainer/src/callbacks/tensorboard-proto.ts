/**
 * The little of the protobuf wire format that TensorBoard's event files need: a writer of varint,
 * 64-bit, 32-bit and length-delimited fields, and a reader of a message's top-level fields.
 */

const encoder = new TextEncoder();

/** Appends fields of one message; `bytes()` is its encoding. Unset fields are left out, as proto3 does. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private varint(value: bigint): this {
    // Negative int64s are encoded as their two's complement, in ten bytes.
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return this.push(Uint8Array.from(out));
  }

  private key(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.varint(BigInt((field << 3) | wireType));
  }

  /** int32, int64, enum or bool (wire type 0); `always` writes a zero too (a member of a oneof). */
  int(field: number, value: number | bigint | boolean, always = false): this {
    const v = typeof value === 'boolean' ? BigInt(value ? 1 : 0) : BigInt(value);
    return v === 0n && !always ? this : this.key(field, 0).varint(v);
  }

  /** double (wire type 1); `always` writes a zero too (a member of a oneof). */
  double(field: number, value: number, always = false): this {
    if (value === 0 && !Object.is(value, -0) && !always) return this;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return this.key(field, 1).push(bytes);
  }

  /** float (wire type 5), rounded to float32 as protobuf does. */
  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.key(field, 5).push(bytes);
  }

  /** A packed repeated double. */
  doubles(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const bytes = new Uint8Array(8 * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat64(8 * i, v, true));
    return this.bytes(field, bytes);
  }

  /** string, bytes or an embedded message (wire type 2); an empty one is written too (oneof fields need it). */
  bytes(field: number, value: Uint8Array | string | ProtoWriter): this {
    const data = typeof value === 'string' ? encoder.encode(value) : value instanceof ProtoWriter ? value.finish() : value;
    return this.key(field, 2).varint(BigInt(data.length)).push(data);
  }

  /** The message's encoding. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** A top-level field read back: its number and, by wire type, a varint, a fixed 64/32-bit slice or bytes. */
export interface ProtoField {
  field: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

/** The top-level fields of a message, in order; throws on a malformed one. */
export function readFields(data: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= data.length) throw new Error('protobuf: truncated varint');
      const b = data[at++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
  };
  const take = (n: number): Uint8Array => {
    if (at + n > data.length) throw new Error('protobuf: truncated field');
    at += n;
    return data.subarray(at - n, at);
  };
  while (at < data.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field, varint: varint() });
    else if (wireType === 1) fields.push({ field, bytes: take(8) });
    else if (wireType === 2) fields.push({ field, bytes: take(Number(varint())) });
    else if (wireType === 5) fields.push({ field, bytes: take(4) });
    else throw new Error(`protobuf: unsupported wire type ${wireType}`);
  }
  return fields;
}
