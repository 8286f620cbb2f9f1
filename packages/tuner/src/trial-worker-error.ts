import { FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): TrialWorkerError.isInstance is true for TrialWorkerErrors only, from any copy of the package.
const MARKER = '@fmnist/error/TrialWorkerError';

/** A worker process of `runWorkers` crashed or exited non-zero: a failure of the run, not bad input. */
export class TrialWorkerError extends FmnistError {
  override readonly name = 'TrialWorkerError';
  static {
    FmnistError.mark(TrialWorkerError, MARKER);
  }

  constructor(message: string) {
    super(message, { kind: 'failure' });
  }

  static override isInstance(error: unknown): error is TrialWorkerError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
