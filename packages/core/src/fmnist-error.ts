const MARKER = '@fmnist/error';
const SYMBOL = Symbol.for(MARKER);

/** Whose fault an error is: the caller's input (exit code 2 in the CLI) or a failure while running (exit code 1). */
export type ErrorKind = 'input' | 'failure';

/**
 * The base of every error an `@fmnist` package throws on purpose (vercel/ai's AISDKError is the
 * model). `isInstance` works across copies of the package (a marker from `Symbol.for`, not
 * `instanceof`), and `kind` says whether the input was wrong or something failed.
 *
 * Every subclass carries its own marker besides this one, and its own `isInstance`, so that
 * `DataError.isInstance(new BackendError('x'))` is false while `FmnistError.isInstance` is true
 * for both (vercel/ai's pattern; the subclass marker sits on the prototype, not enumerable, so
 * that a printed error does not show it):
 *
 * ```ts
 * const MARKER = '@fmnist/error/DataError';
 * export class DataError extends FmnistError {
 *   static {
 *     FmnistError.mark(DataError, MARKER);
 *   }
 *   static override isInstance(error: unknown): error is DataError {
 *     return FmnistError.hasMarker(error, MARKER);
 *   }
 * }
 * ```
 */
export class FmnistError extends Error {
  readonly kind: ErrorKind;

  constructor(message: string, options: { kind?: ErrorKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind ?? 'input';
    Object.defineProperty(this, SYMBOL, { value: true });
  }

  /** Whether `error` is an FmnistError of any class, from any copy of @fmnist/core. */
  static isInstance(error: unknown): error is FmnistError {
    return FmnistError.hasMarker(error, MARKER);
  }

  /** Marks every instance of `cls` (and of its subclasses) with `Symbol.for(marker)`, on its prototype. */
  protected static mark(cls: abstract new (...args: never[]) => FmnistError, marker: string): void {
    Object.defineProperty(cls.prototype, Symbol.for(marker), { value: true });
  }

  /** Whether `error` carries the `Symbol.for(marker)` flag (own or inherited) that `mark` sets. */
  protected static hasMarker(error: unknown, marker: string): boolean {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for(marker)] === true;
  }
}

/**
 * The one rule for what an error means to a command line: 'input' for an FmnistError of that
 * kind, or a RangeError (a bad number a caller passed straight through), else 'failure'.
 */
export function errorKind(error: unknown): ErrorKind {
  if (FmnistError.isInstance(error)) return error.kind;
  return error instanceof RangeError ? 'input' : 'failure';
}
