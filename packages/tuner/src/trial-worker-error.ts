/** A worker process of `runWorkers` crashed or exited non-zero: a failure of the run, not bad input. */
export class TrialWorkerError extends Error {
  override readonly name = 'TrialWorkerError';
}
