import { describe, expect, it } from 'vitest';
import { classHistogram } from './image-dataset';
import { stratifiedSubset } from './stratified-subset';
import { syntheticDataset } from './test-utils/synthetic-fashion';
import { trainValSplit } from './train-val-split';

describe('stratifiedSubset', () => {
  it('keeps class proportions exactly and is seeded', () => {
    const ds = syntheticDataset(1000);
    const sub = stratifiedSubset(ds, 100, { seed: 1 });
    expect(classHistogram(sub)).toEqual(new Array(10).fill(10));
    expect(stratifiedSubset(ds, 100, { seed: 1 }).images).toEqual(sub.images);
    expect(stratifiedSubset(ds, 100, { seed: 2 }).labels).not.toEqual(sub.labels);
    const odd = stratifiedSubset(ds, 105, { seed: 1 });
    expect(odd.count).toBe(105);
    expect(classHistogram(odd).every((c) => c === 10 || c === 11)).toBe(true);
  });

  it('rejects impossible sizes', () => {
    expect(() => stratifiedSubset(syntheticDataset(10), 11)).toThrow(/subset size: expected an integer from 1 to 10/);
  });
});

describe('trainValSplit', () => {
  it('splits disjointly, stratified, reproducibly', () => {
    const ds = syntheticDataset(500);
    // Make every image unique so disjointness can be checked through pixels.
    for (let i = 0; i < ds.count; i++) ds.images[i * 784] = i % 256;
    for (let i = 0; i < ds.count; i++) ds.images[i * 784 + 1] = i >> 8;
    const { train, val } = trainValSplit(ds, { valFraction: 0.2, seed: 3 });
    expect(train.count + val.count).toBe(500);
    expect(classHistogram(val)).toEqual(new Array(10).fill(10));
    const key = (d: typeof ds, i: number) => d.images[i * 784] + 256 * d.images[i * 784 + 1];
    const seen = new Set(Array.from({ length: train.count }, (_, i) => key(train, i)));
    for (let i = 0; i < val.count; i++) expect(seen.has(key(val, i))).toBe(false);
    expect(trainValSplit(ds, { valFraction: 0.2, seed: 3 }).val.images).toEqual(val.images);
    expect(() => trainValSplit(ds, { valFraction: 1.5 })).toThrow(/valFraction: expected a number in \(0, 1\)/);
  });
});
