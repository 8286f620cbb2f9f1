import * as tf from '@tensorflow/tfjs-core';

export interface KernelStat {
  name: string;
  totalMs: number;
  count: number;
  /** Input shapes of the most expensive call. */
  shapes: number[][];
}

export interface KernelRecord {
  name: string;
  ms: number;
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

/** Profiles one call: every kernel with its time and shapes, aggregated by name (top first). */
export async function profileCall(fn: () => tf.TensorContainer | undefined): Promise<ProfiledCall> {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    const out = fn();
    // Make async backends finish inside the profile.
    if (out instanceof tf.Tensor) out.dataSync();
    return out as tf.TensorContainer;
  });
  const wallMs = performance.now() - t0;
  const records: KernelRecord[] = [];
  for (const k of info.kernels) {
    const ms = await k.kernelTimeMs;
    records.push({ name: k.name, ms: typeof ms === 'number' ? ms : 0, inputShapes: k.inputShapes as number[][], outputShapes: k.outputShapes as number[][] });
  }
  const byName = new Map<string, KernelStat & { best: number }>();
  for (const r of records) {
    const s = byName.get(r.name) ?? { name: r.name, totalMs: 0, count: 0, shapes: r.inputShapes, best: -1 };
    s.totalMs += r.ms;
    s.count++;
    if (r.ms > s.best) {
      s.best = r.ms;
      s.shapes = r.inputShapes;
    }
    byName.set(r.name, s);
  }
  const kernels = [...byName.values()].map(({ best: _b, ...k }) => k).sort((a, b) => b.totalMs - a.totalMs);
  return { records, kernels, peakBytes: info.peakBytes, newBytes: info.newBytes, newTensors: info.newTensors, wallMs };
}
