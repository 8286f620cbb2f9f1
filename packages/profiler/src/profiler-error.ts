import { FmnistError } from '@fmnist/core';

/** Bad profiler input (options, model): names the field. */
export class ProfilerError extends FmnistError {
  override readonly name = 'ProfilerError';
}
