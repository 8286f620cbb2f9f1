import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): TunerError.isInstance is true for TunerErrors only, from any copy of the package.
const MARKER = '@fmnist/error/TunerError';

/** Bad tuner input (search space, storage, study name): names what was wrong. */
export class TunerError extends FmnistError {
  override readonly name = 'TunerError';
  static {
    FmnistError.mark(TunerError, MARKER);
  }

  static override isInstance(error: unknown): error is TunerError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
