/**
 * Why a backend could not be activated, in one line: the error's first line without a leading
 * "backend NAME is not available: " (the caller already says "NAME: not available: ").
 */
export function unavailableReason(backend: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0];
  const prefix = `backend ${backend} is not available: `;
  return line.startsWith(prefix) ? line.slice(prefix.length) : line;
}
