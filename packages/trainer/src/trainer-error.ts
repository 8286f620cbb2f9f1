import { FmnistError } from '@fmnist/core';

/** Bad training input (options, data, resume directory): names the field or file. */
export class TrainerError extends FmnistError {
  override readonly name = 'TrainerError';
}
