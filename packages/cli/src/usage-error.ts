import { FmnistError } from '@fmnist/core';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends FmnistError {
  override readonly name = 'UsageError';
}
