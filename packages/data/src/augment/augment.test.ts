import { describe, expect, it } from 'vitest';
import { createImageBatch, type ImageBatch } from '../image-batch';
import { Rng } from '../rng';
import * as browser from '../browser';
import { affine, rotate } from './affine';
import { Compose } from './compose';
import { crop, pad } from './crop';
import { erase } from './erase';
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

  it('antialiases when downscaling, as torchvision (>= 0.17 by default), and takes one number as the smaller edge', () => {
    const b = createImageBatch(1, 4, 4, 1);
    b.data.set(Array.from({ length: 16 }, (_, i) => i));
    // torchvision.transforms.functional.resize(torch.arange(16.).reshape(1, 1, 4, 4), [2, 2], antialias=True / False)
    const aa = new Resize({ size: 2 }).apply({ ...b, data: b.data.slice() });
    [3.5714287757873535, 5.142857551574707, 9.85714340209961, 11.428571701049805].forEach((v, i) => expect(aa.data[i]).toBeCloseTo(v, 5));
    expect(Array.from(new Resize({ size: 2, antialias: false }).apply(b).data)).toEqual([2.5, 4.5, 10.5, 12.5]);
    const wide = new Resize({ size: 9 }).apply(createImageBatch(2, 20, 28, 1));
    expect([wide.height, wide.width]).toEqual([9, 12]);
    expect(() => new Resize({ size: 0 })).toThrow(/Resize: size must be a positive integer or \[height, width\]/);
  });

  it('resizes 28 -> 32 keeping a constant image constant', () => {
    const b = createImageBatch(2, 28, 28, 1);
    b.data.fill(0.5);
    const out = new Resize({ size: [32, 32] }).apply(b);
    expect([out.n, out.height, out.width]).toEqual([2, 32, 32]);
    expect(out.data.every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });
});

describe('pad, crop, erase (torchvision.transforms.functional)', () => {
  const img = () => {
    const b = createImageBatch(1, 2, 3, 1);
    b.data.set([1, 2, 3, 4, 5, 6]);
    return b;
  };

  it('pads each side in every mode, and crops beyond the border with zeros', () => {
    const row = (mode: 'constant' | 'edge' | 'reflect' | 'symmetric') =>
      Array.from(pad(img(), { padding: [2, 0], paddingMode: mode, fill: 9 }).data.subarray(0, 7));
    expect(row('constant')).toEqual([9, 9, 1, 2, 3, 9, 9]);
    expect(row('edge')).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(row('reflect')).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(row('symmetric')).toEqual([2, 1, 1, 2, 3, 3, 2]);
    const sides = pad(img(), { padding: [1, 0, 0, 1] });
    expect([sides.height, sides.width, ...sides.data]).toEqual([3, 4, 0, 1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0]);
    expect(Array.from(crop(img(), { top: 1, left: 1, height: 2, width: 3 }).data)).toEqual([5, 6, 0, 0, 0, 0]);
    expect(() => pad(img(), { padding: -1 })).toThrow(/pad: padding must be a non-negative integer/);
    expect(() => new RandomCrop({ size: 2, paddingMode: 'wrap' as 'edge' })).toThrow(/RandomCrop: paddingMode must be/);
  });

  it('erases a box, clipped to the image', () => {
    expect(Array.from(erase(img(), { top: 1, left: 1, height: 5, width: 5, value: 0 }).data)).toEqual([1, 2, 3, 4, 0, 0]);
  });

  it('are exported as one namespace, as torchvision.transforms.functional', () => {
    expect(Object.keys(browser.functional).sort()).toEqual(['affine', 'crop', 'erase', 'hflip', 'normalize', 'pad', 'resize', 'rotate', 'vflip']);
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

  it("turns as torchvision does: RandomAffine's angles clockwise, RandomRotation's counter-clockwise, nearest by default", () => {
    const dot = createImageBatch(1, 3, 3, 1);
    dot.data[1] = 1; // top middle
    // torchvision: F.affine(dot, 90, ...) -> middle right; F.rotate(dot, 90) -> middle left.
    expect(Array.from(new RandomAffine({ degrees: [90, 90] }).apply(copy(dot), new Rng()).data)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(new RandomRotation({ degrees: [90, 90] }).apply(copy(dot), new Rng()).data)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(affine(copy(dot), { angle: 90 }).data)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(rotate(copy(dot), 90).data)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(new RandomAffine().interpolation).toBe('nearest');
    expect(new RandomRotation({ degrees: 10 }).interpolation).toBe('nearest');
  });

  it('blends the fill at the border as torchvision: in-image weight m gives m * sampled + (1 - m) * fill', () => {
    const ones = createImageBatch(1, 3, 3, 1);
    ones.data.fill(1);
    const out = rotate(ones, 45, { interpolation: 'bilinear', fill: 0.5 });
    // torchvision.transforms.functional.rotate(torch.ones(1, 1, 3, 3), 45, BILINEAR, fill=[0.5])
    [0.5502525568008423, 1, 0.5502524375915527, 1, 1, 1, 0.5502525568008423, 1, 0.5502524375915527].forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 6));
  });

  it('rejects bad ranges and options with the field name', () => {
    expect(() => new RandomAffine({ degrees: -5 })).toThrow(/RandomAffine: degrees must be a non-negative number/);
    expect(() => new RandomAffine({ shear: [10, -10] })).toThrow(/RandomAffine: shear must be a \[min, max\] range/);
    expect(() => new RandomAffine({ interpolation: 'bicubic' as 'nearest' })).toThrow(/RandomAffine: interpolation must be 'nearest' or 'bilinear'/);
    expect(() => new RandomRotation({ degrees: [10, 5] })).toThrow(/RandomRotation: degrees must be a \[min, max\] range/);
    expect(() => affine(createImageBatch(1, 2, 2, 1), { scale: 0 })).toThrow(/affine: scale must be a positive number, found 0/);
  });

  it('draws shear along x only from one number, and along y too from four', () => {
    const sx = new RandomAffine({ shear: 10 }).sampleParams(new Rng(1), 28, 28);
    expect(sx.shear[1]).toBe(0);
    expect(Math.abs(sx.shear[0])).toBeLessThanOrEqual(10);
    const sxy = new RandomAffine({ shear: [0, 0, 5, 6] }).sampleParams(new Rng(1), 28, 28);
    expect(sxy.shear[1]).toBeGreaterThanOrEqual(5);
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

describe('option errors show the value given: arrays as arrays, strings as strings', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['RandomAffine fill', () => new RandomAffine({ fill: [0.5] as unknown as number }), /^RandomAffine: fill must be a finite number, found \[0\.5\]$/],
    [
      'RandomAffine degrees',
      () => new RandomAffine({ degrees: [10, 5] }),
      /^RandomAffine: degrees must be a \[min, max\] range with min <= max, found \[10,5\]$/,
    ],
    [
      'RandomAffine translate',
      () => new RandomAffine({ translate: [0.5] as unknown as [number, number] }),
      /^RandomAffine: translate must be two fractions in \[0, 1\], found \[0\.5\]$/,
    ],
    ['RandomAffine scale', () => new RandomAffine({ scale: [2, 1] }), /^RandomAffine: scale must satisfy 0 < min <= max, found \[2,1\]$/],
    ['RandomAffine shear', () => new RandomAffine({ shear: 'x' as unknown as number }), /found "x" \(a string\)$/],
    [
      'RandomRotation degrees',
      () => new RandomRotation({ degrees: [5, 1] }),
      /^RandomRotation: degrees must be a \[min, max\] range with min <= max, found \[5,1\]$/,
    ],
    ['RandomCrop size', () => new RandomCrop({ size: [28, 0] }), /^RandomCrop: size must be positive integers, found \[28,0\]$/],
    ['RandomCrop padding', () => new RandomCrop({ size: 28, padding: [1, 2, 3] as unknown as number }), /found \[1,2,3\]$/],
    ['RandomErasing scale', () => new RandomErasing({ scale: [0.5, 0.1] }), /^RandomErasing: scale must satisfy 0 < min <= max <= 1, found \[0\.5,0\.1\]$/],
    ['RandomRotation degrees as a string', () => new RandomRotation({ degrees: '05' as unknown as number }), /found "05" \(a string\)$/],
    ['RandomErasing scale of strings', () => new RandomErasing({ scale: ['0.1', '0.2'] as unknown as [number, number] }), /found \["0\.1","0\.2"\]$/],
    ['RandomErasing ratio', () => new RandomErasing({ ratio: [2, 1] }), /^RandomErasing: ratio must satisfy 0 < min <= max, found \[2,1\]$/],
    ['Resize size', () => new Resize({ size: [0, 28] }), /found \[0,28\]$/],
    ['Normalize std', () => new Normalize({ mean: 0, std: [1, 0] }), /^Normalize: std must be positive, found \[1,0\]$/],
    [
      'Normalize mean',
      () => new Normalize({ mean: '0.3' as unknown as number, std: 1 }),
      /^Normalize: mean must be finite numbers, found "0\.3" \(a string\)$/,
    ],
    [
      'RandomHorizontalFlip p',
      () => new RandomHorizontalFlip({ p: '0.5' as unknown as number }),
      /^RandomHorizontalFlip: p must be in \[0, 1\], found "0\.5" \(a string\)$/,
    ],
    ['MixUp alpha', () => new MixUp({ alpha: [1] as unknown as number }), /^MixUp: alpha must be positive, found \[1\]$/],
    ['CutMix alpha', () => new CutMix({ alpha: '1' as unknown as number }), /^CutMix: alpha must be positive, found "1" \(a string\)$/],
  ];
  for (const [label, make, message] of cases) {
    it(label, () => {
      expect(make).toThrow(message);
    });
  }
});
