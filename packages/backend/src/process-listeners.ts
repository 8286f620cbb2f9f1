/**
 * The process events whose listeners a library must leave as it found them: Node's own handling
 * of an uncaught error (print it, exit with code 1) depends on who listens to them.
 */
export const GUARDED_PROCESS_EVENTS = [
  'uncaughtException',
  'uncaughtExceptionMonitor',
  'unhandledRejection',
  'rejectionHandled',
  'warning',
  'beforeExit',
  'exit',
  'SIGINT',
  'SIGTERM',
] as const;

type GuardedEvent = (typeof GUARDED_PROCESS_EVENTS)[number];
type Listener = (...args: unknown[]) => void;

/** The process's listeners of the guarded events (raw: a `once` listener stays a `once` listener) and its exit code. */
export interface ProcessListenerSnapshot {
  listeners: Map<GuardedEvent, Listener[]>;
  exitCode: typeof process.exitCode;
}

export function snapshotProcessListeners(): ProcessListenerSnapshot {
  return {
    listeners: new Map(GUARDED_PROCESS_EVENTS.map((event) => [event, process.rawListeners(event) as Listener[]])),
    exitCode: process.exitCode,
  };
}

/**
 * Puts the guarded events' listeners back as they were in `snapshot`: listeners added since are
 * removed, listeners removed since are put back in their places, and an exit code set since is
 * unset. Returns the events whose listeners changed.
 */
export function restoreProcessListeners(snapshot: ProcessListenerSnapshot): GuardedEvent[] {
  const changed: GuardedEvent[] = [];
  for (const [event, before] of snapshot.listeners) {
    const now = process.rawListeners(event) as Listener[];
    if (now.length === before.length && now.every((listener, i) => listener === before[i])) continue;
    changed.push(event);
    process.removeAllListeners(event);
    for (const listener of before) process.on(event, listener);
  }
  if (process.exitCode !== snapshot.exitCode) process.exitCode = snapshot.exitCode;
  return changed;
}

/**
 * Runs `fn` and leaves the process's handlers of uncaught errors, warnings, exit and signals as
 * they were before it, whether it succeeds or throws. tfjs-backend-wasm's emscripten glue adds
 * `uncaughtException` and `unhandledRejection` listeners that rethrow: with them, any later error of
 * the program is printed as a line of minified tfjs source and exits with code 7 instead of
 * Node's 1. A listener that the program itself adds to these events while `fn` runs (without
 * awaiting it) is removed too: add yours before or after.
 */
export async function withProcessListenersKept<T>(fn: () => Promise<T>): Promise<T> {
  const snapshot = snapshotProcessListeners();
  try {
    return await fn();
  } finally {
    restoreProcessListeners(snapshot);
  }
}

/**
 * Wraps a function that removes process listeners it should not (tfjs-backend-wasm's `dispose`
 * removes every `uncaughtException`/`unhandledRejection` listener present when it initialised,
 * the program's own included) so that the listeners are as they were before the call.
 */
export function keepingProcessListeners<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const snapshot = snapshotProcessListeners();
    try {
      return fn(...args);
    } finally {
      restoreProcessListeners(snapshot);
    }
  };
}
