import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { errorKind, FmnistError } from './fmnist-error';

class InputError extends FmnistError {
  override readonly name = 'InputError';
}
// Two classes with their own markers, as every package's error class is written.
class FirstError extends FmnistError {
  override readonly name = 'FirstError';
  static {
    FmnistError.mark(FirstError, '@fmnist/error/FirstError');
  }
  static override isInstance(error: unknown): error is FirstError {
    return FmnistError.hasMarker(error, '@fmnist/error/FirstError');
  }
}
class SecondError extends FmnistError {
  override readonly name = 'SecondError';
  static {
    FmnistError.mark(SecondError, '@fmnist/error/SecondError');
  }
  static override isInstance(error: unknown): error is SecondError {
    return FmnistError.hasMarker(error, '@fmnist/error/SecondError');
  }
}
/** FirstError as a second copy of its package defines it: another class, the same marker string. */
class FirstErrorFromAnotherCopy extends FmnistError {
  static {
    FmnistError.mark(FirstErrorFromAnotherCopy, '@fmnist/error/FirstError');
  }
}
class SubFirstError extends FirstError {}
class Crash extends FmnistError {
  override readonly name = 'Crash';
  constructor(message: string) {
    super(message, { kind: 'failure' });
  }
}

describe('FmnistError', () => {
  it('is recognised by its marker, also when another copy of the package made it', () => {
    expect(FmnistError.isInstance(new InputError('x'))).toBe(true);
    expect(FmnistError.isInstance(new Error('x'))).toBe(false);
    expect(FmnistError.isInstance(null)).toBe(false);
    expect(FmnistError.isInstance({ name: 'DataError', message: 'x' })).toBe(false);
    // A class from a second copy of @fmnist/core: the same Symbol.for marker, another prototype.
    const other = Object.assign(Object.create(Error.prototype), { [Symbol.for('@fmnist/error')]: true, kind: 'failure' });
    expect(FmnistError.isInstance(other)).toBe(true);
  });

  it('tells the subclasses apart by their own markers; the base recognises them all', () => {
    expect(FirstError.isInstance(new FirstError('x'))).toBe(true);
    expect(FirstError.isInstance(new SecondError('x'))).toBe(false);
    expect(SecondError.isInstance(new FirstError('x'))).toBe(false);
    expect(FirstError.isInstance(new FmnistError('x'))).toBe(false);
    expect(FirstError.isInstance(new InputError('x'))).toBe(false);
    expect(FmnistError.isInstance(new FirstError('x'))).toBe(true);
    expect(FmnistError.isInstance(new SecondError('x'))).toBe(true);
    // A FirstError made by a second copy of its package: both markers, another prototype.
    const other = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('@fmnist/error')]: true,
      [Symbol.for('@fmnist/error/FirstError')]: true,
      kind: 'input',
    });
    expect(FirstError.isInstance(other)).toBe(true);
    expect(SecondError.isInstance(other)).toBe(false);
    expect(FmnistError.isInstance(other)).toBe(true);
    expect(FirstError.isInstance(new FirstErrorFromAnotherCopy('x'))).toBe(true);
    expect(SecondError.isInstance(new FirstErrorFromAnotherCopy('x'))).toBe(false);
    // A subclass of FirstError is a FirstError.
    expect(FirstError.isInstance(new SubFirstError('x'))).toBe(true);
    // The markers are not enumerable: a printed error does not show them.
    expect(inspect(new FirstError('x'))).not.toMatch(/Symbol/);
    // The base marker is still on every instance.
    expect(Object.getOwnPropertySymbols(new FirstError('x'))).toContain(Symbol.for('@fmnist/error'));
  });

  it('says whose fault it is: input by default, failure when built so; RangeError is input, anything else a failure', () => {
    expect(errorKind(new InputError('bad flag'))).toBe('input');
    expect(errorKind(new Crash('worker died'))).toBe('failure');
    expect(errorKind(new RangeError('lr'))).toBe('input');
    expect(errorKind(new TypeError('x is undefined'))).toBe('failure');
    expect(errorKind('a string')).toBe('failure');
    expect(new Crash('y').message).toBe('y');
    expect(new FmnistError('z', { cause: 1 }).cause).toBe(1);
  });
});
