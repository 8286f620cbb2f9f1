import { FmnistError } from '@fmnist/core';
import { DataError } from '@fmnist/data';
import { ModelError } from '@fmnist/models';
import { describe, expect, it } from 'vitest';
import { TrainerError } from './trainer-error';

describe('TrainerError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new TrainerError('epochs');
    expect(TrainerError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(TrainerError.isInstance(new FmnistError('x'))).toBe(false);
    expect(TrainerError.isInstance(new DataError('f', 'x'))).toBe(false);
    expect(TrainerError.isInstance(new ModelError('x'))).toBe(false);
    expect(TrainerError.isInstance(new Error('x'))).toBe(false);
    // A TrainerError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/TrainerError')]: true,
      kind: 'input',
    });
    expect(TrainerError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
