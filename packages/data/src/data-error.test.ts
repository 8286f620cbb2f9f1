import { FmnistError } from '@fmnist/core';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error';

describe('DataError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new DataError('options.batchSize', 'expected a positive integer, got 0');
    expect(DataError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(DataError.isInstance(new FmnistError('x'))).toBe(false);
    expect(DataError.isInstance(new Error('x'))).toBe(false);
    // A DataError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/DataError')]: true,
      kind: 'input',
    });
    expect(DataError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
