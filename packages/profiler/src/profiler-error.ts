import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): ProfilerError.isInstance is true for ProfilerErrors only, from any copy of the package.
const MARKER = '@fmnist/error/ProfilerError';

/** Bad profiler input (options, model): names the field. */
export class ProfilerError extends FmnistError {
  override readonly name = 'ProfilerError';
  static {
    FmnistError.mark(ProfilerError, MARKER);
  }

  static override isInstance(error: unknown): error is ProfilerError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
