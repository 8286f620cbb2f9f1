import { FmnistError } from '@fmnist/core';
import { ModelError } from '@fmnist/models';
import { TrainerError } from '@fmnist/trainer';
import { describe, expect, it } from 'vitest';
import { ProfilerError } from './profiler-error';

describe('ProfilerError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new ProfilerError('runs');
    expect(ProfilerError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(ProfilerError.isInstance(new FmnistError('x'))).toBe(false);
    expect(ProfilerError.isInstance(new ModelError('x'))).toBe(false);
    expect(ProfilerError.isInstance(new TrainerError('x'))).toBe(false);
    expect(ProfilerError.isInstance(new Error('x'))).toBe(false);
    // A ProfilerError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/ProfilerError')]: true,
      kind: 'input',
    });
    expect(ProfilerError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
