/** Bad profiler input (options, model): names the field. */
export class ProfilerError extends Error {
  override readonly name = 'ProfilerError';
}
