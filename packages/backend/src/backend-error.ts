import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): BackendError.isInstance is true for BackendErrors only, from any copy of the package.
const MARKER = '@fmnist/error/BackendError';

/** A backend that was asked for explicitly cannot be used (input), or a kernel failed while running (failure). */
export class BackendError extends FmnistError {
  override readonly name = 'BackendError';
  static {
    FmnistError.mark(BackendError, MARKER);
  }

  static override isInstance(error: unknown): error is BackendError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
