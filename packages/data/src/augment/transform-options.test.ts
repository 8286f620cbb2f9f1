import { describe, expect, it } from 'vitest';
import { CutMix } from './cut-mix';
import { MixUp } from './mix-up';
import { Normalize } from './normalize';
import { RandomAffine, RandomRotation } from './random-affine';
import { RandomCrop } from './random-crop';
import { RandomErasing } from './random-erasing';
import { RandomHorizontalFlip, RandomVerticalFlip } from './random-horizontal-flip';
import { Resize } from './resize';

// torchvision's positional arguments (`RandomCrop(28, padding=2)`, `RandomHorizontalFlip(0.3)`)
// are a user's first guess: ours take one options object, and anything else is one error naming
// the transform and the options it expects, never a TypeError or a silently ignored argument.
describe('transform options', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['RandomCrop', () => new RandomCrop(28 as never), /RandomCrop: expected an options object such as \{ size: 28, padding: 2 \}, got 28/],
    ['RandomHorizontalFlip', () => new RandomHorizontalFlip(0.3 as never), /RandomHorizontalFlip: expected an options object such as \{ p: 0\.5 \}, got 0\.3/],
    ['RandomVerticalFlip', () => new RandomVerticalFlip(0.3 as never), /RandomVerticalFlip: expected an options object such as \{ p: 0\.5 \}, got 0\.3/],
    ['Resize', () => new Resize(32 as never), /Resize: expected an options object such as \{ size: 32 \}, got 32/],
    ['Normalize', () => new Normalize([0.286] as never), /Normalize: expected an options object such as \{ mean: 0\.2860, std: 0\.3530 \}, got \[0\.286\]/],
    ['RandomRotation', () => new RandomRotation(10 as never), /RandomRotation: expected an options object such as \{ degrees: 10 \}, got 10/],
    ['RandomAffine', () => new RandomAffine(10 as never), /RandomAffine: expected an options object such as \{ degrees: 10 \}, got 10/],
    ['RandomErasing', () => new RandomErasing(0.25 as never), /RandomErasing: expected an options object such as \{ p: 0\.5 \}, got 0\.25/],
    ['MixUp', () => new MixUp(0.2 as never), /MixUp: expected an options object such as \{ alpha: 1 \}, got 0\.2/],
    ['CutMix', () => new CutMix(0.2 as never), /CutMix: expected an options object such as \{ alpha: 1 \}, got 0\.2/],
  ];
  it.each(cases)('%s refuses a bare value in one line', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
