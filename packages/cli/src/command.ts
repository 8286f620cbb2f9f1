import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes: tests capture these instead of the process streams. */
export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** True when stderr, where progress goes, is an interactive terminal (live progress lines). */
  isTTY: boolean;
  /** Writes to stderr as is (no newline): live progress frames. Absent: plain lines only. */
  progress?: (text: string) => void;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** Words that select it, e.g. `['data', 'info']`. */
  path: string[];
  summary: string;
  usage: string;
  options: OptionSpec;
  /** Positional arguments: [min, max]. Default [0, 0]. */
  positionals?: [number, number];
  /** Returns the exit code; nothing means 0. */
  // biome-ignore lint/suspicious/noConfusingVoidType: commands that print and finish return nothing
  run(args: { values: Values; positionals: string[]; io: Io; json: boolean }): Promise<number | undefined | void> | number | undefined | void;
}
