import { ProtoWriter, readFields } from './tensorboard-proto';

/**
 * The messages of TensorBoard's event files that the TensorBoard callback writes, field numbers
 * from tensorboard/compat/proto (event.proto, summary.proto) and plugins/hparams (api.proto,
 * plugin_data.proto). Scalars and histograms are the "old-style" values `simple_value` and
 * `histo`, as PyTorch's SummaryWriter writes them; TensorBoard reads both styles.
 */

/** A scalar: `Summary.Value { tag, simple_value }` (float32). */
export function scalarValue(tag: string, value: number): ProtoWriter {
  return new ProtoWriter().bytes(1, tag).float(2, value);
}

/** Buckets of a weight histogram: TF 2's default count. */
export const HISTOGRAM_BUCKETS = 30;

/**
 * A histogram: `Summary.Value { tag, histo: HistogramProto }` with min, max, count, sum, sum of
 * squares, and `buckets` equal-width buckets between min and max (each bucket's right edge in
 * `bucket_limit`, the last one max). Non-finite values are left out.
 */
export function histogramValue(tag: string, values: ArrayLike<number>, buckets = HISTOGRAM_BUCKETS): ProtoWriter {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  const histo = new ProtoWriter();
  if (num > 0) {
    const n = max > min ? buckets : 1;
    const width = (max - min) / n;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) counts[Math.min(n - 1, Math.floor((v - min) / (width || 1)))]++;
    }
    const limits = counts.map((_, i) => (i === n - 1 ? max : min + width * (i + 1)));
    histo.double(1, min).double(2, max).double(3, num).double(4, sum).double(5, sumSquares).doubles(6, limits).doubles(7, counts);
  }
  return new ProtoWriter().bytes(1, tag).bytes(5, histo);
}

/** A value of the hparams plugin: `Summary.Value { tag, metadata { plugin_data { "hparams", content } } }`. */
function hparamsValue(tag: string, pluginData: ProtoWriter): ProtoWriter {
  const pluginDataField = new ProtoWriter().bytes(1, 'hparams').bytes(2, pluginData);
  return new ProtoWriter().bytes(1, tag).bytes(9, new ProtoWriter().bytes(1, pluginDataField));
}

/** A hyperparameter's value for the HParams tab. */
export type HParamValue = number | string | boolean;

/** `google.protobuf.Value`: number_value, string_value or bool_value (a oneof: zero and false are written). */
function protobufValue(value: HParamValue): ProtoWriter {
  if (typeof value === 'number') return new ProtoWriter().double(2, value, true);
  if (typeof value === 'string') return new ProtoWriter().bytes(3, value);
  return new ProtoWriter().int(4, value, true);
}

/** `_hparams_/experiment`: the hyperparameters' names and types and the metrics (group = the sub-run, tag). */
export function hparamsExperimentValue(
  hparams: Record<string, HParamValue>,
  metrics: readonly { group: string; tag: string }[],
  createdSecs: number,
): ProtoWriter {
  const experiment = new ProtoWriter().double(3, createdSecs);
  for (const [name, value] of Object.entries(hparams)) {
    // DataType: STRING 1, BOOL 2, FLOAT64 3.
    const type = typeof value === 'string' ? 1 : typeof value === 'boolean' ? 2 : 3;
    experiment.bytes(4, new ProtoWriter().bytes(1, name).int(4, type));
  }
  for (const m of metrics) {
    // DatasetType: TRAINING 1, VALIDATION 2.
    const dataset = m.group === 'train' ? 1 : m.group === 'validation' ? 2 : 0;
    experiment.bytes(5, new ProtoWriter().bytes(1, new ProtoWriter().bytes(1, m.group).bytes(2, m.tag)).int(5, dataset));
  }
  return hparamsValue('_hparams_/experiment', new ProtoWriter().bytes(2, experiment));
}

/** `_hparams_/session_start_info`: this run's hyperparameter values. */
export function hparamsSessionStartValue(hparams: Record<string, HParamValue>, startSecs: number): ProtoWriter {
  const start = new ProtoWriter();
  for (const [name, value] of Object.entries(hparams)) start.bytes(1, new ProtoWriter().bytes(1, name).bytes(2, protobufValue(value)));
  start.double(5, startSecs);
  return hparamsValue('_hparams_/session_start_info', new ProtoWriter().bytes(3, start));
}

/** `_hparams_/session_end_info`: Status SUCCESS (1). */
export function hparamsSessionEndValue(endSecs: number): ProtoWriter {
  return hparamsValue('_hparams_/session_end_info', new ProtoWriter().bytes(4, new ProtoWriter().int(1, 1).double(2, endSecs)));
}

/** An `Event`: wall time in seconds, step, and either the file version or a summary of values. */
export function encodeEvent(event: { wallTime: number; step: number; fileVersion?: string; values?: readonly ProtoWriter[] }): Uint8Array {
  const out = new ProtoWriter().double(1, event.wallTime).int(2, event.step);
  if (event.fileVersion !== undefined) out.bytes(3, event.fileVersion);
  if (event.values) {
    const summary = new ProtoWriter();
    for (const v of event.values) summary.bytes(1, v);
    out.bytes(5, summary);
  }
  return out.finish();
}

const decoder = new TextDecoder();

/** An event's step and the tags of its summary values (none for the file version event). */
export function eventStepAndTags(data: Uint8Array): { step: number; tags: string[] } {
  let step = 0;
  const tags: string[] = [];
  for (const f of readFields(data)) {
    if (f.field === 2 && f.varint !== undefined) step = Number(BigInt.asIntN(64, f.varint));
    if (f.field === 5 && f.bytes) {
      for (const value of readFields(f.bytes)) {
        if (value.field !== 1 || !value.bytes) continue;
        const tag = readFields(value.bytes).find((v) => v.field === 1)?.bytes;
        if (tag) tags.push(decoder.decode(tag));
      }
    }
  }
  return { step, tags };
}
