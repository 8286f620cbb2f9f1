import { DataError } from './data-error';
import { type ImageDataset, selectIndices } from './image-dataset';
import { Rng } from './rng';

/** Indices of each class, in dataset order. */
export function indicesByClass(ds: Pick<ImageDataset, 'labels' | 'classNames'>): number[][] {
  const byClass: number[][] = ds.classNames.map(() => []);
  ds.labels.forEach((label, i) => byClass[label].push(i));
  return byClass;
}

/**
 * Picks `size` images with the class proportions of the whole set (6,000 of Fashion-MNIST
 * gives exactly 600 per class), seeded. Remainders go to the largest fractional shares.
 */
export function stratifiedSubset(ds: ImageDataset, size: number, options: { seed?: number } = {}): ImageDataset {
  if (!Number.isInteger(size) || size < 1 || size > ds.count) {
    throw new DataError('subset size', `expected an integer from 1 to ${ds.count}, found ${size}`);
  }
  return selectIndices(ds, stratifiedIndices(ds, size, new Rng(options.seed ?? 0)));
}

/** Seeded stratified sample of indices (sorted by class draw order, then shuffled). */
export function stratifiedIndices(ds: Pick<ImageDataset, 'labels' | 'classNames' | 'count'>, size: number, rng: Rng): number[] {
  const byClass = indicesByClass(ds);
  const shares = byClass.map((idx) => (idx.length * size) / ds.count);
  const take = shares.map(Math.floor);
  let left = size - take.reduce((a, b) => a + b, 0);
  const order = shares.map((s, c) => [s - Math.floor(s), c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of order) {
    if (left === 0) break;
    if (take[c] < byClass[c].length) {
      take[c]++;
      left--;
    }
  }
  const picked: number[] = [];
  byClass.forEach((idx, c) => {
    const copy = rng.shuffle(idx.slice());
    picked.push(...copy.slice(0, take[c]));
  });
  return rng.shuffle(picked);
}
