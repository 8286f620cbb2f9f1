import type { Io } from './command';

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

/**
 * Says a backend asked for cannot run: `NAME: not available: REASON` on stderr and, with `--json`,
 * the record `{ backend, available: false, reason }` on stdout (bench's and profile's). Returns the reason.
 */
export function reportUnavailable(io: Io, json: boolean, backend: string, error: unknown): string {
  const reason = unavailableReason(backend, error);
  io.stderr(`${backend}: not available: ${reason}`);
  if (json) io.stdout(JSON.stringify({ backend, available: false, reason }));
  return reason;
}
