import { type ErrorKind, FmnistError } from '@fmnist/core';

/**
 * The one error type @fmnist/data throws for bad input: it always names the file (or field)
 * and says what was expected versus what was found, so CLIs can print it as one line.
 */
export class DataError extends FmnistError {
  override readonly name = 'DataError';
  /** The file or field the problem is in, e.g. `train-images-idx3-ubyte.gz` or `options.batchSize`. */
  readonly source: string;

  /** `kind: 'failure'` for what is not the caller's input (a download that failed). */
  constructor(source: string, message: string, options: { kind?: ErrorKind } = {}) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }
}
