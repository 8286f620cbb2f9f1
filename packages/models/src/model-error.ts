import { FmnistError } from '@fmnist/core';

/** Bad model input (unknown name, invalid option, unreadable model directory): names the field or file. */
export class ModelError extends FmnistError {
  override readonly name = 'ModelError';
}
