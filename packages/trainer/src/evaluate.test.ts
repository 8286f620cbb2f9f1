import { DataLoader } from '@fmnist/data';
import { cnn, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

const data = toyDataset(40, 4);

/** Predictions from the mean of the logits of each image and its mirror image, computed by hand. */
function byHand(apply: (x: tf.Tensor) => tf.Tensor, layout: 'flat' | 'image'): number[] {
  return tf.tidy(() => {
    const x = tf.div(tf.tensor4d(Array.from(data.images), [data.count, 8, 8, 1]), 255);
    const flipped = tf.reverse(x, 2);
    const shape = layout === 'flat' ? [data.count, 64] : [data.count, 8, 8, 1];
    const logits = tf.div(tf.add(apply(tf.reshape(x, shape)), apply(tf.reshape(flipped, shape))), 2);
    return Array.from(tf.argMax(logits, -1).dataSync());
  });
}

describe('evaluate with test-time augmentation', () => {
  it("averages each image's logits with its mirror image's ('hflip'), for flat and image inputs", async () => {
    const flat = mlp({ inputs: 64, hidden: [16], outputs: 4, seed: 2 });
    const conv = cnn({ inputShape: [8, 8, 1], classes: 4, filters: [4, 8], dense: [8], seed: 2 });
    for (const [m, layout] of [
      [flat, 'flat'],
      [conv, 'image'],
    ] as const) {
      const loader = new DataLoader(data, { batchSize: 16, shuffle: false, layout });
      const before = tf.memory().numTensors;
      const plain = await evaluate(m, loader);
      const tta = await evaluate(m, loader, { tta: ['hflip'] });
      expect(tf.memory().numTensors).toBe(before);
      expect(tta.predictions).toEqual(byHand((x) => m.apply(x, { training: false }) as tf.Tensor, layout));
      // The mirror images are other inputs: the averaged logits give another loss.
      expect(tta.loss).not.toBe(plain.loss);
      expect(tta.count).toBe(40);
      m.dispose();
    }
  });

  it('refuses an unknown view and inputs that are not images', async () => {
    const m = mlp({ inputs: 64, hidden: [8], outputs: 4 });
    const loader = new DataLoader(data, { batchSize: 16, shuffle: false });
    await expect(evaluate(m, loader, { tta: ['vflip' as 'hflip'] })).rejects.toThrow(/evaluate tta: expected 'hflip', got "vflip"/);
    const odd = mlp({ inputs: 10, hidden: [4], outputs: 4 });
    const rows = { ...data, images: data.images.slice(0, 40 * 10), width: 10, height: 1 };
    await expect(evaluate(odd, new DataLoader(rows, { batchSize: 8, shuffle: false }), { tta: ['hflip'] })).rejects.toThrow(
      /tta 'hflip': expected \[n, h, w, c\] images/,
    );
    m.dispose();
    odd.dispose();
  });
});

describe('evaluate with tied logits', () => {
  it('ranks ties as argMax breaks them, so top-1 is the accuracy', async () => {
    const flat = mlp({ inputs: 64, hidden: [4], outputs: 4, seed: 2 });
    const zeros = flat.getWeights().map((w) => tf.zerosLike(w));
    flat.setWeights(zeros);
    tf.dispose(zeros);
    const scored = await evaluate(flat, new DataLoader(data, { batchSize: 16, shuffle: false }), { topK: [1, 2] });
    // Every logit is 0: argMax says class 0, so a quarter of the toy set is right.
    expect(scored.accuracy).toBe(0.25);
    expect(scored.topK[1]).toBe(scored.accuracy);
    expect(scored.topK[2]).toBe(0.5);
    flat.dispose();
  });
});
