import type * as tf from '@tensorflow/tfjs-core';

/** The fastest of n runs of f in ms, each read back (synced) and disposed: the benchmarks' timing. */
export function bestMs(f: () => tf.Tensor, n: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = f();
    r.dataSync();
    min = Math.min(min, performance.now() - t0);
    r.dispose();
  }
  return min;
}
