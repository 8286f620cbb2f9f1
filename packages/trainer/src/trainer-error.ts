import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): TrainerError.isInstance is true for TrainerErrors only, from any copy of the package.
const MARKER = '@fmnist/error/TrainerError';

/** Bad training input (options, data, resume directory): names the field or file. */
export class TrainerError extends FmnistError {
  override readonly name = 'TrainerError';
  static {
    FmnistError.mark(TrainerError, MARKER);
  }

  static override isInstance(error: unknown): error is TrainerError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
