import { FmnistError } from '@fmnist/core';

/** Bad tuner input (search space, storage, study name): names what was wrong. */
export class TunerError extends FmnistError {
  override readonly name = 'TunerError';
}
