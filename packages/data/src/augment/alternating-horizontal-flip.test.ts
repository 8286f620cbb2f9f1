import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../data-error';
import { DataLoader } from '../data-loader';
import { createImageBatch, type ImageBatch } from '../image-batch';
import { Rng } from '../rng';
import { syntheticDataset } from '../test-utils/synthetic-fashion';
import { AlternatingHorizontalFlip } from './alternating-horizontal-flip';
import { Compose } from './compose';
import { hflip } from './random-horizontal-flip';
import { evaluationTransform } from './transform';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** n images whose pixel values are all different, so that a mirror is never the image itself. */
function distinctBatch(n: number): ImageBatch {
  const b = createImageBatch(n, 4, 5, 1);
  for (let i = 0; i < b.data.length; i++) b.data[i] = i;
  return b;
}
const image = (b: ImageBatch, i: number) => Array.from(b.data.subarray(i * 20, (i + 1) * 20));
const mirrored = (b: ImageBatch) => hflip({ ...b, data: b.data.slice() });

describe('AlternatingHorizontalFlip', () => {
  const indices = Array.from({ length: 1000 }, (_, i) => i);

  it('flips about half the images in epoch 0, exactly the others in every odd epoch, and epoch 0s again in every even one', () => {
    const at = (epoch: number, seed = 7) => indices.map((k) => AlternatingHorizontalFlip.flipped(seed, k, epoch));
    const first = at(0);
    const count = first.filter(Boolean).length;
    expect(count).toBeGreaterThan(440);
    expect(count).toBeLessThan(560);
    expect(at(1)).toEqual(first.map((f) => !f));
    expect(at(2)).toEqual(first);
    expect(at(5)).toEqual(at(1));
    // Another seed, another first coin.
    const other = at(0, 8);
    expect(other.filter((f, k) => f !== first[k]).length).toBeGreaterThan(400);
  });

  it('mirrors exactly the images its context says, and leaves the others as they were', () => {
    const b = distinctBatch(6);
    const m = mirrored(b);
    const context = { indices: [10, 11, 12, 13, 14, 15], epoch: 3, seed: 2 };
    const out = new AlternatingHorizontalFlip().apply({ ...b, data: b.data.slice() }, new Rng(0), context);
    let flips = 0;
    context.indices.forEach((k, i) => {
      const flip = AlternatingHorizontalFlip.flipped(2, k, 3);
      flips += flip ? 1 : 0;
      expect(image(out, i)).toEqual(image(flip ? m : b, i));
    });
    expect(flips).toBeGreaterThan(0);
    expect(flips).toBeLessThan(6);
  });

  it('shows every image of a DataLoader both ways over two epochs, composes, and resumes mid-epoch exactly', async () => {
    const ds = syntheticDataset(64);
    // A left-to-right ramp on each image, so that a mirror differs from the image.
    for (let k = 0; k < ds.count; k++) for (let p = 0; p < 784; p++) ds.images[k * 784 + p] = (k + (p % 28) * 7) % 256;
    const loader = new DataLoader(ds, {
      batchSize: 16,
      seed: 3,
      layout: 'image',
      normalize: 'none',
      transform: new Compose([new AlternatingHorizontalFlip()]),
    });
    const seen = async (epoch: number, start = 0) => {
      const rows: number[][] = [];
      for await (const { xs, ys } of loader.iterate(epoch, start)) {
        const data = xs.dataSync();
        for (let i = 0; i < xs.shape[0]; i++) rows.push(Array.from(data.subarray(i * 784, (i + 1) * 784)));
        tf.dispose([xs, ys]);
      }
      return rows;
    };
    const raw = (k: number) => Array.from(ds.images.subarray(k * 784, (k + 1) * 784));
    const mirror = (row: number[]) => Array.from({ length: 784 }, (_, p) => row[Math.floor(p / 28) * 28 + 27 - (p % 28)]);
    const flippedIn = new Map<number, boolean[]>();
    for (const epoch of [0, 1]) {
      const order = loader.order(epoch);
      (await seen(epoch)).forEach((row, pos) => {
        const k = order[pos];
        const asIs = row.every((v, p) => v === raw(k)[p]);
        const flipped = row.every((v, p) => v === mirror(raw(k))[p]);
        expect(asIs !== flipped).toBe(true);
        flippedIn.set(k, [...(flippedIn.get(k) ?? []), flipped]);
      });
    }
    expect(flippedIn.size).toBe(64);
    for (const [k, [e0, e1]] of flippedIn) {
      expect(e0).toBe(!e1);
      expect(e0).toBe(AlternatingHorizontalFlip.flipped(3, k, 0));
    }
    expect(await seen(1, 2)).toEqual((await seen(1)).slice(32));
  });

  it('is training-only, and says what it needs when used outside a loader or given options', () => {
    expect(evaluationTransform(new AlternatingHorizontalFlip())).toBeUndefined();
    expect(() => new AlternatingHorizontalFlip().apply(distinctBatch(2), new Rng(0))).toThrow(DataError);
    expect(() => new AlternatingHorizontalFlip().apply(distinctBatch(2), new Rng(0))).toThrow(/AlternatingHorizontalFlip.*DataLoader/);
    expect(() => new AlternatingHorizontalFlip().apply(distinctBatch(2), new Rng(0), { indices: [1], epoch: 0, seed: 0 })).toThrow(
      /context.indices: expected 2/,
    );
    expect(() => new AlternatingHorizontalFlip({ p: 0.5 } as never)).toThrow(/AlternatingHorizontalFlip.*no options, got p/);
  });
});
