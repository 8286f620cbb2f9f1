/**
 * The one error type @fmnist/data throws for bad input: it always names the file (or field)
 * and says what was expected versus what was found, so CLIs can print it as one line.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** The file or field the problem is in, e.g. `train-images-idx3-ubyte.gz` or `options.batchSize`. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}
