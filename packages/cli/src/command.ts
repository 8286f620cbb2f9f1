/** Where a command writes: tests capture these instead of the process streams. */
export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** True when stderr, where progress goes, is an interactive terminal (live progress lines). */
  isTTY: boolean;
  /** Writes to stderr as is (no newline): live progress frames. Absent: plain lines only. */
  progress?: (text: string) => void;
}

/**
 * One option of a command, described once: the help text, the usage line and the shell completion
 * are generated from it. The command reads the value (`values[name]`, undefined when not given) and
 * applies the default itself, so a flag given on the command line can be told from one left out.
 */
export interface OptionDef {
  /** `'string'` takes a value (`--epochs 5`, `--epochs=5`), `'boolean'` does not (`--resume`). */
  type: 'string' | 'boolean';
  /** What it does, one line. */
  description: string;
  /** The value's name in the usage line and help, e.g. `N`, `FILE`. Default `VALUE`. */
  value?: string;
  /** The default as help shows it: a value, or how it is chosen. Absent: no default. */
  default?: string | number;
  /** The values it takes, when there is a fixed set (help and completion list them; the command checks them). */
  choices?: readonly string[];
  /** Shown without brackets in the usage line (the command checks it and names it when missing). Default false. */
  required?: boolean;
  /** A one-letter alias, e.g. `q` for `-q`. */
  short?: string;
}

/** A command's options by name (without `--`). */
export type OptionTable = Readonly<Record<string, OptionDef>>;

/** One positional argument of a command. */
export interface ArgumentDef {
  /** Its name in the usage line, e.g. `FILE`. */
  name: string;
  description: string;
  /** Default true. */
  required?: boolean;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** Words that select it, e.g. `['data', 'info']`. */
  path: string[];
  summary: string;
  options: OptionTable;
  /** Positional arguments, in order. Default none. */
  args?: readonly ArgumentDef[];
  /** Returns the exit code; nothing means 0. */
  // biome-ignore lint/suspicious/noConfusingVoidType: commands that print and finish return nothing
  run(args: { values: Values; positionals: string[]; io: Io; json: boolean }): Promise<number | undefined | void> | number | undefined | void;
}
