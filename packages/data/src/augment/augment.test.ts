import { describe, expect, it } from 'vitest';
import { createImageBatch, type ImageBatch } from '../image-batch';
import { Rng } from '../rng';
import { Compose } from './compose';
import { CutMix } from './cut-mix';
import { MixUp, sampleBeta } from './mix-up';
import { Normalize } from './normalize';
import { RandomAffine, RandomRotation } from './random-affine';
import { RandomCrop } from './random-crop';
import { RandomErasing } from './random-erasing';
import { RandomHorizontalFlip, RandomVerticalFlip } from './random-horizontal-flip';
import { Resize } from './resize';

/** A batch of n random h x w images. */
function randomBatch(n: number, h = 28, w = 28, seed = 1): ImageBatch {
  const batch = createImageBatch(n, h, w, 1);
  const rng = new Rng(seed);
  for (let i = 0; i < batch.data.length; i++) batch.data[i] = rng.random();
  return batch;
}

const copy = (b: ImageBatch): ImageBatch => ({ ...b, data: b.data.slice() });
const at = (b: ImageBatch, i: number, y: number, x: number) => b.data[(i * b.height + y) * b.width + x];

describe('flips', () => {
  it('p=1 mirrors exactly; twice is the identity; p=0 does nothing', () => {
    const b = randomBatch(3);
    const flipped = new RandomHorizontalFlip({ p: 1 }).apply(copy(b), new Rng());
    expect(at(flipped, 1, 5, 0)).toBe(at(b, 1, 5, 27));
    expect(new RandomHorizontalFlip({ p: 1 }).apply(copy(flipped), new Rng()).data).toEqual(b.data);
    expect(new RandomHorizontalFlip({ p: 0 }).apply(copy(b), new Rng()).data).toEqual(b.data);
    const v = new RandomVerticalFlip({ p: 1 }).apply(copy(b), new Rng());
    expect(at(v, 2, 0, 3)).toBe(at(b, 2, 27, 3));
  });

  it('flips about half the images with p=0.5, each image independently', () => {
    const b = randomBatch(400, 4, 4);
    const out = new RandomHorizontalFlip().apply(copy(b), new Rng(3));
    let flipped = 0;
    for (let i = 0; i < 400; i++) if (at(out, i, 0, 0) !== at(b, i, 0, 0)) flipped++;
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => new RandomHorizontalFlip({ p: 2 })).toThrow(/RandomHorizontalFlip: p must be in \[0, 1\], found 2/);
  });
});

describe('RandomCrop', () => {
  it('with padding keeps the size and shifts the content by at most the padding', () => {
    const b = randomBatch(50);
    const out = new RandomCrop({ size: 28, padding: 4 }).apply(copy(b), new Rng(1));
    expect([out.height, out.width]).toEqual([28, 28]);
    for (let i = 0; i < 50; i++) {
      // Find the shift that explains the centre pixel row.
      let found = false;
      for (let dy = -4; dy <= 4 && !found; dy++) {
        for (let dx = -4; dx <= 4 && !found; dx++) {
          found = [10, 14, 17].every((y) => at(out, i, y, 14) === at(b, i, y + dy, 14 + dx) && at(out, i, y, 10) === at(b, i, y + dy, 10 + dx));
        }
      }
      expect(found).toBe(true);
    }
  });

  it('crops smaller windows, and reflect padding repeats no edge', () => {
    const out = new RandomCrop({ size: [20, 24] }).apply(randomBatch(2), new Rng());
    expect([out.height, out.width, out.data.length]).toEqual([20, 24, 2 * 20 * 24]);
    const img = createImageBatch(1, 3, 3, 1);
    img.data.set([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const crop = new RandomCrop({ size: [1, 3], padding: 2, paddingMode: 'reflect' });
    const seen = new Set<string>();
    for (let s = 0; s < 100; s++) seen.add(Array.from(crop.apply({ ...img, data: img.data.slice() }, new Rng(s)).data).join(','));
    // Each padded row reads 3 2 [1 2 3] 2 1 with reflect: five windows, all seen.
    expect([...seen].sort()).toEqual(['1,2,3', '2,1,2', '2,3,2', '3,2,1']);
  });
});

describe('Resize', () => {
  it('matches PyTorch bilinear (align_corners=False) on a 2x2 -> 4x4 case', () => {
    const b = createImageBatch(1, 2, 2, 1);
    b.data.set([0, 1, 2, 3]);
    const out = new Resize({ size: 4 }).apply(b);
    // torch.nn.functional.interpolate(x, size=4, mode='bilinear', align_corners=False)
    expect(Array.from(out.data)).toEqual([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('resizes 28 -> 32 keeping a constant image constant', () => {
    const b = createImageBatch(2, 28, 28, 1);
    b.data.fill(0.5);
    const out = new Resize({ size: [32, 32] }).apply(b);
    expect([out.n, out.height, out.width]).toEqual([2, 32, 32]);
    expect(out.data.every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });
});

describe('RandomErasing', () => {
  it('erases one rectangle whose area is within scale', () => {
    const b = createImageBatch(200, 28, 28, 1);
    b.data.fill(1);
    const out = new RandomErasing({ p: 1, value: 0 }).apply(b, new Rng(5));
    for (let i = 0; i < 200; i++) {
      const img = out.data.subarray(i * 784, (i + 1) * 784);
      const zeros = img.filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros / 784).toBeLessThanOrEqual(0.33 * 1.25);
    }
  });
});

describe('RandomAffine / RandomRotation', () => {
  it('0 degrees and no shift is the identity', () => {
    const b = randomBatch(2);
    expect(new RandomAffine({ degrees: 0 }).apply(copy(b), new Rng()).data).toEqual(b.data);
  });

  it('rotating by exactly 90 degrees moves pixels as a rotation should', () => {
    const b = randomBatch(1, 5, 5);
    const out = new RandomRotation({ degrees: [90, 90] }).apply(copy(b), new Rng());
    // Counter-clockwise rotation about the centre (2, 2): output (y, x) reads input (x', y').
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) expect(at(out, 0, y, x)).toBeCloseTo(at(b, 0, x, 4 - y), 5);
  });

  it('translation shifts by whole pixels within the range', () => {
    const b = randomBatch(20, 10, 10);
    const out = new RandomAffine({ translate: [0.2, 0.2] }).apply(copy(b), new Rng(2));
    for (let i = 0; i < 20; i++) {
      let ok = false;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (Math.abs(at(out, i, 5, 5) - at(b, i, 5 - dy, 5 - dx)) < 1e-6) ok = true;
      expect(ok).toBe(true);
    }
  });
});

describe('Normalize, Compose', () => {
  it('standardises and composes in order', () => {
    const b = createImageBatch(1, 1, 2, 1);
    b.data.set([0.5, 1]);
    const out = new Compose([new RandomHorizontalFlip({ p: 1 }), new Normalize({ mean: 0.5, std: 0.5 })]).apply(b, new Rng());
    expect(Array.from(out.data)).toEqual([1, 0]);
    expect(() => new Normalize({ mean: 0, std: 0 })).toThrow(/std must be positive/);
  });
});

describe('MixUp / CutMix', () => {
  const targets = (labels: number[]) => {
    const t = new Float32Array(labels.length * 3);
    labels.forEach((l, i) => (t[i * 3 + l] = 1));
    return t;
  };

  it('MixUp targets are convex mixes that sum to 1, and pixels mix with the same lambda', () => {
    const b = randomBatch(8, 4, 4);
    const { batch, targets: t } = new MixUp({ alpha: 0.4 }).apply(copy(b), targets([0, 1, 2, 0, 1, 2, 0, 1]), 3, new Rng(4));
    for (let i = 0; i < 8; i++) expect(t[i * 3] + t[i * 3 + 1] + t[i * 3 + 2]).toBeCloseTo(1, 5);
    expect(batch.data.length).toBe(b.data.length);
  });

  it('CutMix targets follow the pasted area', () => {
    const b = createImageBatch(2, 10, 10, 1);
    b.data.fill(1, 0, 100);
    const { batch, targets: t } = new CutMix().apply(b, targets([0, 1]), 3, new Rng(9));
    const ones = batch.data.subarray(100, 200).filter((v) => v === 1).length / 100;
    // Image 1 got a box from image 0 (or itself); its target for class 0 equals the pasted fraction.
    expect(t[3]).toBeCloseTo(ones, 5);
  });

  it('Beta samples have the right mean', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += sampleBeta(2, 5, rng);
    expect(sum / 4000).toBeCloseTo(2 / 7, 1);
  });
});
