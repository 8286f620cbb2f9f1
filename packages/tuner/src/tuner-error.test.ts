import { FmnistError } from '@fmnist/core';
import { describe, expect, it } from 'vitest';
import { TrialWorkerError } from './trial-worker-error';
import { TunerError } from './tuner-error';

describe('TunerError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new TunerError('study name');
    expect(TunerError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(TunerError.isInstance(new FmnistError('x'))).toBe(false);
    expect(TunerError.isInstance(new TrialWorkerError('x'))).toBe(false);
    expect(TunerError.isInstance(new Error('x'))).toBe(false);
    // A TunerError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/TunerError')]: true,
      kind: 'input',
    });
    expect(TunerError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
