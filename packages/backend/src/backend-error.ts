/** A backend that was asked for explicitly cannot be used. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}
