import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): UsageError.isInstance is true for UsageErrors only, from any copy of the package.
const MARKER = '@fmnist/error/UsageError';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends FmnistError {
  override readonly name = 'UsageError';
  static {
    FmnistError.mark(UsageError, MARKER);
  }

  static override isInstance(error: unknown): error is UsageError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
