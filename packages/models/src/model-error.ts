import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): ModelError.isInstance is true for ModelErrors only, from any copy of the package.
const MARKER = '@fmnist/error/ModelError';

/** Bad model input (unknown name, invalid option, unreadable model directory): names the field or file. */
export class ModelError extends FmnistError {
  override readonly name = 'ModelError';
  static {
    FmnistError.mark(ModelError, MARKER);
  }

  static override isInstance(error: unknown): error is ModelError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
