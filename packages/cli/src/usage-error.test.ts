import { BackendError } from '@fmnist/backend';
import { FmnistError } from '@fmnist/core';
import { DataError } from '@fmnist/data';
import { ModelError } from '@fmnist/models';
import { ProfilerError } from '@fmnist/profiler';
import { TrainerError } from '@fmnist/trainer';
import { TrialWorkerError, TunerError } from '@fmnist/tuner';
import { describe, expect, it } from 'vitest';
import { UsageError } from './usage-error';

describe('UsageError', () => {
  it('is told apart from other FmnistErrors by its own marker, also across copies of the package', () => {
    const error = new UsageError('--epochs: expected a positive integer, got 0');
    expect(UsageError.isInstance(error)).toBe(true);
    expect(FmnistError.isInstance(error)).toBe(true);
    expect(UsageError.isInstance(new FmnistError('x'))).toBe(false);
    expect(UsageError.isInstance(new Error('x'))).toBe(false);
    const copy = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/UsageError')]: true,
      kind: 'input',
    });
    expect(UsageError.isInstance(copy)).toBe(true);
  });

  it("every package's error class recognises its own instances only; FmnistError recognises them all", () => {
    const classes = [BackendError, DataError, ModelError, ProfilerError, TrainerError, TrialWorkerError, TunerError, UsageError];
    const make = (C: (typeof classes)[number]) => (C === DataError ? new DataError('f', 'x') : new (C as typeof UsageError)('x'));
    for (const A of classes) {
      for (const B of classes) expect(A.isInstance(make(B)), `${A.name}.isInstance(new ${B.name}())`).toBe(A === B);
      expect(FmnistError.isInstance(make(A))).toBe(true);
    }
  });
});
