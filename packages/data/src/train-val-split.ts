import { DataError } from './data-error';
import { type ImageDataset, selectIndices } from './image-dataset';
import { Rng } from './rng';
import { stratifiedIndices } from './stratified-subset';

export interface TrainValSplitOptions {
  /** Fraction held out for validation, in (0, 1). Default 0.1. Ignored when `valSize` is set. */
  valFraction?: number;
  /** Exact number of validation images. */
  valSize?: number;
  /** Seed of the split. Default 0. */
  seed?: number;
  /** Keep class proportions in both parts. Default true. */
  stratify?: boolean;
}

/** A seeded train/validation split (stratified by default), like `torch.utils.data.random_split`. */
export function trainValSplit(ds: ImageDataset, options: TrainValSplitOptions = {}): { train: ImageDataset; val: ImageDataset } {
  const fraction = options.valFraction ?? 0.1;
  if (options.valSize === undefined && !(fraction > 0 && fraction < 1)) {
    throw new DataError('valFraction', `expected a number in (0, 1), found ${fraction}`);
  }
  const valSize = options.valSize ?? Math.round(ds.count * fraction);
  if (!Number.isInteger(valSize) || valSize < 1 || valSize >= ds.count) {
    throw new DataError('valSize', `expected an integer from 1 to ${ds.count - 1}, found ${valSize}`);
  }
  const rng = new Rng(options.seed ?? 0);
  let valIdx: number[];
  if (options.stratify === false) {
    valIdx = rng.shuffle(Array.from({ length: ds.count }, (_, i) => i)).slice(0, valSize);
  } else {
    valIdx = stratifiedIndices(ds, valSize, rng);
  }
  const inVal = new Uint8Array(ds.count);
  for (const i of valIdx) inVal[i] = 1;
  const trainIdx: number[] = [];
  for (let i = 0; i < ds.count; i++) if (!inVal[i]) trainIdx.push(i);
  return {
    train: selectIndices(ds, trainIdx),
    val: selectIndices(
      ds,
      valIdx.sort((a, b) => a - b),
    ),
  };
}
