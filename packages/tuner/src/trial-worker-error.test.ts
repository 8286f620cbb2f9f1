import { FmnistError } from '@fmnist/core';
import { describe, expect, it } from 'vitest';
import { TrialWorkerError } from './trial-worker-error';
import { TunerError } from './tuner-error';

describe('TrialWorkerError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new TrialWorkerError('worker 1 exited with code 3');
    expect(TrialWorkerError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(TrialWorkerError.isInstance(new FmnistError('x'))).toBe(false);
    expect(TrialWorkerError.isInstance(new TunerError('x'))).toBe(false);
    expect(TrialWorkerError.isInstance(new Error('x'))).toBe(false);
    // A TrialWorkerError made by another copy of the package: the same Symbol.for markers, another prototype.
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/TrialWorkerError')]: true,
      kind: 'input',
    });
    expect(TrialWorkerError.isInstance(copy)).toBe(true);
    expect(FmnistError.isInstance(copy)).toBe(true);
  });
});
