import { parseRecipe } from '@fmnist/trainer';
import { describe, expect, it } from 'vitest';
import { augmentFromFlag } from './augment-flags';
import { UsageError } from './usage-error';

describe('--augment', () => {
  it('maps each name to its transform, a resize first and erasing last', () => {
    expect(augmentFromFlag('erase,flip,resize,crop')).toEqual([
      { name: 'Resize', size: 32 },
      { name: 'RandomHorizontalFlip', p: 0.5 },
      { name: 'RandomCrop', size: 32, padding: 4 },
      { name: 'RandomErasing', p: 0.25 },
    ]);
  });

  it("gives airbench's alternating flip for altflip, which a recipe accepts", () => {
    const augment = augmentFromFlag('altflip,crop');
    expect(augment).toEqual([{ name: 'AlternatingHorizontalFlip' }, { name: 'RandomCrop', size: 28, padding: 2 }]);
    expect(parseRecipe({ version: 1, model: { name: 'cnn' }, data: { augment }, fit: { epochs: 1 } }).data.augment[0]).toEqual({
      name: 'AlternatingHorizontalFlip',
    });
  });

  it('refuses flip with altflip, and unknown names, in one line', () => {
    expect(() => augmentFromFlag('flip,altflip')).toThrow(UsageError);
    expect(() => augmentFromFlag('flip,altflip')).toThrow(/^--augment: flip and altflip .*give one$/);
    expect(() => augmentFromFlag('flop')).toThrow(/^--augment: unknown flop; expected .*altflip/);
  });
});
