import { type ErrorKind, FmnistError } from '@fmnist/core';

// Its own marker (vercel/ai's pattern, see FmnistError): DataError.isInstance is true for DataErrors only, from any copy of the package.
const MARKER = '@fmnist/error/DataError';

/**
 * The one error type @fmnist/data throws for bad input: it always names the file (or field)
 * and says what was expected versus what was found, so CLIs can print it as one line.
 */
export class DataError extends FmnistError {
  override readonly name = 'DataError';
  static {
    FmnistError.mark(DataError, MARKER);
  }
  /** The file or field the problem is in, e.g. `train-images-idx3-ubyte.gz` or `options.batchSize`. */
  readonly source: string;

  /** `kind: 'failure'` for what is not the caller's input (a download that failed). */
  constructor(source: string, message: string, options: { kind?: ErrorKind } = {}) {
    super(`${source}: ${message}`, options);
    this.source = source;
  }

  static override isInstance(error: unknown): error is DataError {
    return FmnistError.hasMarker(error, MARKER);
  }
}
