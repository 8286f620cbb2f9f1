import { DataLoader, type ImageDataset, loadFashionMnist, Rng } from '@fmnist/data';
import type { BatchSource } from '@fmnist/profiler';
import * as tf from '@tensorflow/tfjs-core';

let cached: ImageDataset | undefined;

/** Batches of real test images (the first `batch`, repeating if needed), or undefined without data. */
export async function realBatches(layout: 'flat' | 'image'): Promise<BatchSource | undefined> {
  if (!cached) {
    try {
      cached = await loadFashionMnist({ split: 'test', download: false, verify: false });
    } catch {
      return undefined;
    }
  }
  const ds = cached;
  const loader = new DataLoader(ds, { layout, shuffle: false });
  return (batch) => {
    const idx = Array.from({ length: batch }, (_, i) => i % ds.count);
    const host = loader.hostBatch(idx, new Rng(0));
    return { xs: tf.tensor(host.x, host.xShape), ys: tf.tensor(host.y, host.yShape) };
  };
}
