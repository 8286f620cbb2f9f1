import type { onnx } from 'onnx-proto';

/** ONNX operator set the exporter targets (ONNX Runtime 1.8+, onnx 1.8+). */
export const ONNX_OPSET = 13;
/** IR version that goes with opset 13. */
export const ONNX_IR_VERSION = 7;

// Enum values of onnx.proto, written out so the graph can be built before onnx-proto is loaded.
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export type AttributeValue = number | number[] | string | { float: number };

/** The nodes and initializers of one graph, with unique value names. */
export class OnnxGraph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** A value name not used yet, derived from `base`. */
  name(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer, stored as little-endian raw data. */
  floats(base: string, data: Float32Array, dims: number[]): string {
    const name = this.name(base);
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push({ name, dataType: FLOAT, dims, rawData: bytes });
    return name;
  }

  /** An int64 initializer (shapes for Reshape). */
  int64s(base: string, data: number[]): string {
    const name = this.name(base);
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dataType: INT64, dims: [data.length], rawData: bytes });
    return name;
  }

  /**
   * Adds a node and returns its output's name. Integers are INT attributes; `{ float }` and
   * non-integers are FLOAT; arrays are INTS (of integers) or FLOATS.
   */
  node(op: string, inputs: string[], outputBase: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.name(outputBase);
    this.nodes.push({ opType: op, name: output, input: inputs, output: [output], attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return output;
  }
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: ATTR.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'object' && !Array.isArray(value)) return { name, type: ATTR.FLOAT, f: value.float };
  if (Array.isArray(value)) return value.every(Number.isInteger) ? { name, type: ATTR.INTS, ints: value } : { name, type: ATTR.FLOATS, floats: value };
  return Number.isInteger(value) ? { name, type: ATTR.INT, i: value } : { name, type: ATTR.FLOAT, f: value };
}

/** A float tensor's type for a graph input or output; `null` dimensions become the symbolic `batch`. */
export function floatType(shape: (number | null)[]): onnx.ITypeProto {
  return { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => (d === null ? { dimParam: 'batch' } : { dimValue: d })) } } };
}
