import * as tf from '@tensorflow/tfjs-core';

export interface KernelStat {
  name: string;
  /** Summed time of its calls, ms; null where the backend times no kernel (see `kernelTimesAvailable`). */
  totalMs: number | null;
  count: number;
  /** Input shapes of the most expensive call (of the first call when there are no times). */
  shapes: number[][];
}

export interface KernelRecord {
  name: string;
  /** Its time, ms; null where the backend times no kernel. */
  ms: number | null;
  inputShapes: number[][];
  outputShapes: number[][];
}

export interface ProfiledCall {
  records: KernelRecord[];
  kernels: KernelStat[];
  peakBytes: number;
  newBytes: number;
  newTensors: number;
  wallMs: number;
}

/**
 * Whether the current backend times each kernel under `tf.profile`. WebGPU does only where the
 * device has the 'timestamp-query' feature (tfjs reports 0 ms for every kernel otherwise, which
 * the profiler reports as null, not as a time); WebGL reports an error object without its timer
 * extension (null too); the CPU backends always time them.
 */
export function kernelTimesAvailable(): boolean {
  const backend: object = tf.backend();
  return !('supportTimestampQuery' in backend) || backend.supportTimestampQuery !== false;
}

/**
 * Profiles one call: every kernel with its time and shapes, aggregated by name (top first; by
 * count where the backend gives no times). A tensor that `fn` returns (or resolves to) is read
 * with `await data()` inside the profile, so a GPU backend finishes its work there.
 */
export async function profileCall(fn: () => tf.TensorContainer | undefined | Promise<tf.TensorContainer | undefined>): Promise<ProfiledCall> {
  const timed = kernelTimesAvailable();
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    const out = await fn();
    if (out instanceof tf.Tensor) await out.data();
    return out as tf.TensorContainer;
  });
  const wallMs = performance.now() - t0;
  const records: KernelRecord[] = [];
  for (const k of info.kernels) {
    const ms = await k.kernelTimeMs;
    records.push({
      name: k.name,
      ms: timed && typeof ms === 'number' ? ms : null,
      inputShapes: k.inputShapes as number[][],
      outputShapes: k.outputShapes as number[][],
    });
  }
  const byName = new Map<string, KernelStat & { best: number }>();
  for (const r of records) {
    const s = byName.get(r.name) ?? { name: r.name, totalMs: r.ms === null ? null : 0, count: 0, shapes: r.inputShapes, best: -1 };
    s.count++;
    if (r.ms !== null) {
      s.totalMs = (s.totalMs ?? 0) + r.ms;
      if (r.ms > s.best) {
        s.best = r.ms;
        s.shapes = r.inputShapes;
      }
    }
    byName.set(r.name, s);
  }
  const kernels = [...byName.values()].map(({ best: _b, ...k }) => k).sort((a, b) => (b.totalMs ?? -1) - (a.totalMs ?? -1) || b.count - a.count);
  return { records, kernels, peakBytes: info.peakBytes, newBytes: info.newBytes, newTensors: info.newTensors, wallMs };
}
