const MARKER = Symbol.for('@fmnist/error');

/** Whose fault an error is: the caller's input (exit code 2 in the CLI) or a failure while running (exit code 1). */
export type ErrorKind = 'input' | 'failure';

/**
 * The base of every error an @fmnist package throws on purpose (vercel/ai's AISDKError is the
 * model). `isInstance` works across copies of the package (a marker from `Symbol.for`, not
 * `instanceof`), and `kind` says whether the input was wrong or something failed.
 */
export class FmnistError extends Error {
  readonly kind: ErrorKind;

  constructor(message: string, options: { kind?: ErrorKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind ?? 'input';
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(error: unknown): error is FmnistError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
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
