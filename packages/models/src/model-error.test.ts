import { FmnistError } from '@fmnist/core';
import { DataError } from '@fmnist/data';
import { describe, expect, it } from 'vitest';
import { ModelError } from './model-error';

describe('ModelError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new ModelError('unknown model');
    expect(ModelError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(ModelError.isInstance(new FmnistError('x'))).toBe(false);
    expect(ModelError.isInstance(new DataError('f', 'x'))).toBe(false);
    expect(ModelError.isInstance(new Error('x'))).toBe(false);
    // A ModelError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/ModelError')]: true,
      kind: 'input',
    });
    expect(ModelError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
