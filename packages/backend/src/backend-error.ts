import { FmnistError } from '@fmnist/core';

/** A backend that was asked for explicitly cannot be used (input), or a kernel failed while running (failure). */
export class BackendError extends FmnistError {
  override readonly name = 'BackendError';
}
