/** Bad tuner input (search space, storage, study name): names what was wrong. */
export class TunerError extends Error {
  override readonly name = 'TunerError';
}
