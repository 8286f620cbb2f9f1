import { Compose, RandomAffine, RandomCrop, RandomErasing, RandomHorizontalFlip, RandomRotation, Resize, type Transform } from '@fmnist/data';
import { UsageError } from './usage-error';

export const AUGMENTATIONS = ['flip', 'crop', 'erase', 'rotate', 'affine', 'resize'] as const;
export type AugmentName = (typeof AUGMENTATIONS)[number];

export interface AugmentPlan {
  /** Random transforms, training only. */
  train?: Transform;
  /** Deterministic preprocessing for every split (resize). */
  all?: Transform;
  /** Image size after preprocessing. */
  size: number;
}

/** `--augment flip,crop,erase` -> torchvision-style transforms. `resize` makes images 32x32 everywhere. */
export function augmentPlan(list: string | undefined): AugmentPlan {
  const names = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !AUGMENTATIONS.includes(n as AugmentName));
  if (bad.length) throw new UsageError(`--augment: unknown ${bad.join(', ')}; expected a comma-separated list of ${AUGMENTATIONS.join(', ')}`);
  const size = names.includes('resize') ? 32 : 28;
  const random: Transform[] = [];
  for (const n of names) {
    if (n === 'flip') random.push(new RandomHorizontalFlip({ p: 0.5 }));
    if (n === 'crop') random.push(new RandomCrop({ size, padding: size === 32 ? 4 : 2 }));
    if (n === 'rotate') random.push(new RandomRotation({ degrees: 10 }));
    if (n === 'affine') random.push(new RandomAffine({ degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] }));
  }
  // Erasing comes last, as in torchvision recipes.
  if (names.includes('erase')) random.push(new RandomErasing({ p: 0.25 }));
  const all = size === 32 ? new Resize({ size: 32 }) : undefined;
  const trainList = [...(all ? [all] : []), ...random];
  return { train: trainList.length ? new Compose(trainList) : undefined, all, size };
}
