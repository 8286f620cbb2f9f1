import { FmnistError } from '@fmnist/core';
import { describe, expect, it } from 'vitest';
import { BackendError } from './backend-error';

describe('BackendError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new BackendError('no webgl');
    expect(BackendError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(BackendError.isInstance(new FmnistError('x'))).toBe(false);
    expect(BackendError.isInstance(new Error('x'))).toBe(false);
    // A BackendError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/BackendError')]: true,
      kind: 'input',
    });
    expect(BackendError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
