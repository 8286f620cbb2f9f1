import { describe, expect, it } from 'vitest';
import { errorKind, FmnistError } from './fmnist-error';

class InputError extends FmnistError {
  override readonly name = 'InputError';
}
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
