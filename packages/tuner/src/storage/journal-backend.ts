import type { JournalLog } from './journal-replay';
import { parsePythonJson, stringifyPythonJson } from './python-json';

/** Where journal logs are kept. `exclusive` runs read-check-append sequences atomically. */
export interface JournalBackend {
  /** Logs from position `from` on (complete lines only). */
  readLogs(from: number): JournalLog[];
  /** Appends logs; call inside `exclusive`. */
  appendLogs(logs: JournalLog[]): void;
  exclusive<T>(fn: () => Promise<T> | T): Promise<T>;
}

/** Logs in memory (InMemoryStorage), with an async mutex. */
export class MemoryJournalBackend implements JournalBackend {
  private readonly logs: JournalLog[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  readLogs(from: number): JournalLog[] {
    return this.logs.slice(from);
  }

  appendLogs(logs: JournalLog[]): void {
    // Through the file's encoding, so a study in memory keeps what a journal file keeps (NaN included).
    this.logs.push(...logs.map((l) => parsePythonJson(stringifyPythonJson(l)) as JournalLog));
  }

  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
