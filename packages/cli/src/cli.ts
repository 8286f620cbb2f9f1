import { parseArgs } from 'node:util';
import { errorKind } from '@fmnist/core';
import type { Command, Io } from './command';
import { commands } from './commands';
import { UsageError } from './usage-error';

const COMMON = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/**
 * The words that are not options or option values, with their positions: `fmnist data --dir X
 * info` is the command `data info` with `--dir X`, not `data X`.
 */
function commandWords(argv: string[], list: Command[]): { word: string; at: number }[] {
  const takesValue = new Set<string>();
  for (const c of list) for (const [name, spec] of Object.entries(c.options)) if (spec.type === 'string') takesValue.add(name);
  const out: { word: string; at: number }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('--')) {
      if (!a.includes('=') && takesValue.has(a.slice(2))) i++;
    } else if (!a.startsWith('-')) out.push({ word: a, at: i });
  }
  return out;
}

function helpText(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.path.join(' ').length));
  return [
    'fmnist: the Fashion-MNIST journey on TensorFlow.js',
    '',
    'Usage: fmnist <command> [options]   (every command has --help and --json)',
    '',
    ...list.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function commandHelp(cmd: Command): string {
  const opts = Object.entries(cmd.options).map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}`);
  return [
    `Usage: ${cmd.usage}`,
    '',
    cmd.summary,
    '',
    'Options:',
    ...opts,
    '  --json     machine-readable output',
    '  --debug    print stack traces',
    '  --quiet    no progress or information on stderr (errors still)',
    '  --help     this text',
  ].join('\n');
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad input). */
export async function runCli(argv: string[], io: Io, list: Command[] = commands): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const words = commandWords(argv, list);
    const cmd = [...list].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((w, i) => words[i]?.word === w));
    if (!cmd) {
      if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
        io.stdout(helpText(list));
        return 0;
      }
      throw new UsageError(
        `unknown command ${JSON.stringify(
          words
            .slice(0, 2)
            .map((w) => w.word)
            .join(' ') || argv[0],
        )}; run fmnist --help for the list`,
      );
    }
    const used = new Set(words.slice(0, cmd.path.length).map((w) => w.at));
    const rest = argv.filter((_, i) => !used.has(i));
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: { ...COMMON, ...cmd.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message.split(/\.\s/)[0]} (see fmnist ${cmd.path.join(' ')} --help)`);
    }
    if (parsed.values.help) {
      io.stdout(commandHelp(cmd));
      return 0;
    }
    const [min, max] = cmd.positionals ?? [0, 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${parsed.positionals.length}: usage: ${cmd.usage}`);
    }
    // --quiet: no progress or information on stderr; errors (below) still reach it.
    const cmdIo: Io = parsed.values.quiet ? { stdout: io.stdout, stderr: () => {}, isTTY: false } : io;
    const code = await cmd.run({ values: parsed.values, positionals: parsed.positionals, io: cmdIo, json: parsed.values.json === true });
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
