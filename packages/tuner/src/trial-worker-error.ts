import { FmnistError } from '@fmnist/core';

/** A worker process of `runWorkers` crashed or exited non-zero: a failure of the run, not bad input. */
export class TrialWorkerError extends FmnistError {
  override readonly name = 'TrialWorkerError';

  constructor(message: string) {
    super(message, { kind: 'failure' });
  }
}
