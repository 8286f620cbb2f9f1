import { errorKind } from '@fmnist/core';
import { CommanderError } from 'commander';
import type { Command, Io } from './command';
import { commandFirst } from './command-words';
import { commands } from './commands';
import { completionCommand } from './commands/completion';
import { buildProgram, type Chosen } from './program';
import { UsageError } from './usage-error';

/** commander's message as one line: `unknown option '--epoch' (did you mean --epochs?)`. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\)/, ' (did you mean $1)')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '');
}

/**
 * Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad input). The parser is `commander`,
 * built from `list`'s option tables (help, usage lines, suggestions); `fmnist completion SHELL` is
 * added to the list.
 */
export async function runCli(argv: string[], io: Io, list: Command[] = commands): Promise<number> {
  const debug = argv.includes('--debug');
  const all = [...list, completionCommand(list)];
  try {
    const { cmd, argv: ordered, words } = commandFirst(argv, all);
    let text = '';
    let chosen: Chosen | undefined;
    const program = buildProgram(
      all,
      (t) => (text += t),
      (c) => (chosen = c),
    );
    if (argv.length === 0) {
      program.outputHelp();
      io.stdout(text.trimEnd());
      return 0;
    }
    try {
      await program.parseAsync(ordered, { from: 'user' });
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      // Help asked for (`--help`, `fmnist help train`) and the version: exit code 0 (help after an error is 1).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || (error.code === 'commander.help' && error.exitCode === 0)) {
        io.stdout(text.trimEnd());
        return 0;
      }
      const where = cmd
        ? cmd.path.join(' ')
        : words
            .filter((w) => all.some((c) => c.path[0] === w))
            .slice(0, 1)
            .join(' ');
      if (error.code === 'commander.help') {
        if (!where) throw new UsageError('no command given; see fmnist --help for the list');
        // A group's words alone (`fmnist study`): which commands it has.
        const under = all.filter((c) => c.path[0] === where && c.path.length > 1).map((c) => c.path.slice(1).join(' '));
        throw new UsageError(`${where} needs a command: one of ${under.join(', ')} (see fmnist ${where} --help)`);
      }
      throw new UsageError(`${oneLine(error.message)}; see fmnist ${where ? `${where} ` : ''}--help`);
    }
    if (!chosen) throw new UsageError('no command given; see fmnist --help');
    const { values, positionals } = chosen;
    // --quiet: no progress or information on stderr; errors (below) still reach it.
    const cmdIo: Io = values.quiet ? { stdout: io.stdout, stderr: () => {}, isTTY: false } : io;
    const code = await chosen.cmd.run({ values, positionals, io: cmdIo, json: values.json === true });
    return code ?? 0;
  } catch (error) {
    const err = error as Error;
    io.stderr(
      `fmnist: ${String(err?.message ?? err)
        .split('\n')
        .join(' ')}`,
    );
    if (debug && err?.stack) io.stderr(err.stack);
    // Bad input exits 2, a failure 1: the rule is errorKind's, in @fmnist/core.
    return errorKind(error) === 'input' ? 2 : 1;
  }
}
