import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomHorizontalFlip } from './augment/random-horizontal-flip';
import { MixUp } from './augment/mix-up';
import type { Transform } from './augment/transform';
import { DataLoader } from './data-loader';
import type { ImageBatch } from './image-batch';
import { syntheticDataset } from './test-utils/synthetic-fashion';

/** A transform that throws on every call from the `from`-th on (0-based), counting its calls. */
class ThrowingTransform implements Transform {
  readonly name = 'Throwing';
  calls = 0;
  constructor(readonly from: number) {}
  apply(batch: ImageBatch): ImageBatch {
    if (this.calls++ >= this.from) throw new Error(`transform failed on call ${this.calls}`);
    return batch;
  }
}

/** Lets every pending macrotask (the prefetched batches) run, and Node report what is unhandled. */
async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function collect(loader: AsyncIterable<{ xs: tf.Tensor; ys: tf.Tensor; size: number }>) {
  const out: { x: number[]; y: number[]; xShape: number[]; yShape: number[] }[] = [];
  for await (const { xs, ys } of loader) {
    out.push({ x: Array.from(xs.dataSync()), y: Array.from(ys.dataSync()), xShape: xs.shape, yShape: ys.shape });
    tf.dispose([xs, ys]);
  }
  return out;
}

describe('DataLoader', () => {
  const ds = syntheticDataset(100);

  it('yields flat [n, 784] scaled to [0, 1] with one-hot labels, keeping the last partial batch', async () => {
    const batches = await collect(new DataLoader(ds, { batchSize: 32, seed: 1 }));
    expect(batches.map((b) => b.xShape)).toEqual([
      [32, 784],
      [32, 784],
      [32, 784],
      [4, 784],
    ]);
    expect(batches[0].yShape).toEqual([32, 10]);
    const all = batches.flatMap((b) => b.x);
    expect(Math.max(...all)).toBeLessThanOrEqual(1);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(0);
    // The label of each image matches its pixels (pixel value encodes the label).
    const b = batches[0];
    for (let i = 0; i < 32; i++) {
      const label = b.y.slice(i * 10, i * 10 + 10).indexOf(1);
      const value = Math.round(b.x[i * 784] * 255) / 2;
      expect(Math.floor(value / 10) % 10 === label || value >= 100).toBe(true);
    }
  });

  it('gives image layout, index labels and drops the last batch on request', async () => {
    const batches = await collect(new DataLoader(ds, { batchSize: 32, layout: 'image', labels: 'index', dropLast: true }));
    expect(batches.map((b) => b.xShape)).toEqual([
      [32, 28, 28, 1],
      [32, 28, 28, 1],
      [32, 28, 28, 1],
    ]);
    expect(batches[0].yShape).toEqual([32]);
  });

  it('normalises by mean/std', async () => {
    const [b] = await collect(new DataLoader(ds, { batchSize: 100, shuffle: false, normalize: { mean: 0.5, std: 0.25 } }));
    expect(b.x[0]).toBeCloseTo((ds.images[0] / 255 - 0.5) / 0.25, 5);
  });

  it('is deterministic per seed, reshuffles per epoch, and can resume mid-epoch', async () => {
    const opts = { batchSize: 16, seed: 7, transform: new RandomHorizontalFlip(), mix: new MixUp() };
    const a = new DataLoader(ds, opts);
    const e0 = await collect(a);
    const e1 = await collect(a);
    const b = new DataLoader(ds, opts);
    expect(await collect(b)).toEqual(e0);
    expect(e1[0].y).not.toEqual(e0[0].y);
    const resumed = await collect(b.iterate(1, 3));
    expect(resumed).toEqual(e1.slice(3));
    expect(await collect(new DataLoader(ds, { ...opts, seed: 8 }))).not.toEqual(e0);
  });

  it('covers every image exactly once per epoch', () => {
    const loader = new DataLoader(ds, { batchSize: 7 });
    expect(Array.from(loader.order(3)).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(loader.length).toBe(15);
  });

  it('leaks no tensors, even when the consumer stops early', async () => {
    const loader = new DataLoader(ds, { batchSize: 10, prefetch: 3 });
    await collect(loader);
    const before = tf.memory().numTensors;
    for (let e = 0; e < 3; e++) await collect(loader);
    for await (const { xs, ys } of loader) {
      tf.dispose([xs, ys]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with prefetch >= 2, a failing transform rejects the loop once and leaves no unhandled rejection or tensor behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const prefetch of [2, 4]) {
        const transform = new ThrowingTransform(1);
        const loader = new DataLoader(ds, { batchSize: 10, prefetch, transform });
        const before = tf.memory().numTensors;
        const seen: number[] = [];
        await expect(
          (async () => {
            for await (const { xs, ys, size } of loader) {
              seen.push(size);
              tf.dispose([xs, ys]);
            }
          })(),
        ).rejects.toThrow(/transform failed on call 2/);
        await settle();
        expect(seen).toEqual([10]);
        expect(tf.memory().numTensors).toBe(before);
        // Cleanup also stops the batches queued behind the failure: none is built after the error.
        expect(transform.calls).toBe(2);
      }
      // A consumer that stops early while prefetched batches are still failing: nothing unhandled either.
      const loader = new DataLoader(ds, { batchSize: 10, prefetch: 3, transform: new ThrowingTransform(1) });
      for await (const { xs, ys } of loader) {
        tf.dispose([xs, ys]);
        break;
      }
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses a dropLast batch larger than the dataset, which would yield no batch', () => {
    expect(() => new DataLoader(syntheticDataset(20), { batchSize: 32, dropLast: true })).toThrow(
      /batchSize: 32 is larger than the dataset \(20 images\) with dropLast: true, so an epoch would have no batch/,
    );
    expect(new DataLoader(syntheticDataset(20), { batchSize: 32 }).length).toBe(1);
    expect(new DataLoader(syntheticDataset(20), { batchSize: 20, dropLast: true }).length).toBe(1);
    expect(() => new DataLoader(syntheticDataset(0), { batchSize: 1 })).toThrow(/dataset: is empty/);
  });

  it('rejects bad options with the field name', () => {
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize: expected a positive integer, found 0/);
    expect(() => new DataLoader(ds, { layout: 'nchw' as 'flat' })).toThrow(/layout: expected 'flat' or 'image'/);
    expect(() => new DataLoader(ds, { labels: 'index', mix: new MixUp() })).toThrow(/mix: MixUp needs labels: 'oneHot'/);
  });
});
