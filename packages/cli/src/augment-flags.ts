import type { TrainRecipeInput } from '@fmnist/trainer';
import { UsageError } from './usage-error';

export const AUGMENTATIONS = ['flip', 'altflip', 'crop', 'erase', 'rotate', 'affine', 'resize'] as const;
export type AugmentName = (typeof AUGMENTATIONS)[number];

/** The recipe's augmentation list (torchvision's transforms by name, the recipe fills their defaults). */
export type AugmentList = NonNullable<NonNullable<TrainRecipeInput['data']>['augment']>;

/**
 * `--augment flip,crop,erase` as the recipe's transforms: a resize first (every split gets it,
 * images become 32x32), erasing last, as torchvision recipes do. `altflip` is airbench's
 * alternating flip (`AlternatingHorizontalFlip`), in place of `flip`'s random one.
 */
export function augmentFromFlag(list: string): AugmentList {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !AUGMENTATIONS.includes(n as AugmentName));
  if (bad.length) throw new UsageError(`--augment: unknown ${bad.join(', ')}; expected a comma-separated list of ${AUGMENTATIONS.join(', ')}`);
  if (names.includes('flip') && names.includes('altflip')) throw new UsageError('--augment: flip and altflip are two ways to mirror the images; give one');
  const size = names.includes('resize') ? 32 : 28;
  const out: AugmentList = [];
  if (size === 32) out.push({ name: 'Resize', size: 32 });
  for (const n of names) {
    if (n === 'flip') out.push({ name: 'RandomHorizontalFlip', p: 0.5 });
    if (n === 'altflip') out.push({ name: 'AlternatingHorizontalFlip' });
    if (n === 'crop') out.push({ name: 'RandomCrop', size, padding: size === 32 ? 4 : 2 });
    if (n === 'rotate') out.push({ name: 'RandomRotation', degrees: 10 });
    if (n === 'affine') out.push({ name: 'RandomAffine', degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] });
  }
  if (names.includes('erase')) out.push({ name: 'RandomErasing', p: 0.25 });
  return out;
}
