import { Command as Commander, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { Command, Values } from './command';
import { COMMON_OPTIONS, optionDescription, usageLine } from './usage';

/** The command the arguments chose, with the options given on the command line (not their defaults). */
export interface Chosen {
  cmd: Command;
  values: Values;
  positionals: string[];
}

/** The CLI's package version, as `fmnist --version` prints it. */
export const CLI_VERSION: string = packageJson.version;

/** `data info`: a command's words below the program. */
function words(c: Commander): string {
  const out: string[] = [];
  for (let at: Commander | null = c; at?.parent; at = at.parent) out.unshift(at.name());
  return out.join(' ');
}

/** Every command under `c` that runs something (`leaves`), depth first: a group such as `data` lists its commands. */
function commandsUnder(c: Commander, leaves: ReadonlySet<Commander>): Commander[] {
  return c.commands.flatMap((sub) => [...(leaves.has(sub) ? [sub] : []), ...commandsUnder(sub, leaves)]);
}

/**
 * The `commander` program for `list`: every command, option, description and default from the
 * commands' option tables. Parsing it calls `choose` with the command the arguments named; help,
 * `--version` and bad input throw `CommanderError` (exitOverride), after writing help to `write`.
 */
export function buildProgram(list: readonly Command[], write: (text: string) => void, choose: (chosen: Chosen) => void): Commander {
  const leaves = new Set<Commander>();
  const root = new Commander('fmnist')
    .description('fmnist: Fashion-MNIST on TensorFlow.js (data, models, training, tuning, export)')
    .usage('<command> [options]   (fmnist <command> --help for its options)')
    .version(CLI_VERSION, '-V, --version', 'print the version of @fmnist/cli')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: write, writeErr: () => {}, outputError: () => {} })
    .addHelpText(
      'after',
      '\nEvery command takes --help, --json (JSON on stdout), --quiet and --debug. Exit codes: 0 ok, 1 failure, 2 bad input.\nShell completion: eval "$(fmnist completion bash)".',
    )
    .configureHelp({
      // The program and each group list the commands below them by their whole words: `data info FILE`.
      visibleCommands: (c) => c.commands.flatMap((sub) => [sub, ...commandsUnder(sub, leaves)]),
      subcommandTerm: (c) => [words(c), ...c.registeredArguments.map((a) => (a.required ? a.name() : `[${a.name()}]`))].join(' '),
    });
  const nodes = new Map<string, Commander>([['', root]]);
  const node = (path: string[]): Commander => {
    const key = path.join(' ');
    let found = nodes.get(key);
    if (!found) {
      const parent = node(path.slice(0, -1));
      found = parent.command(path.at(-1) as string);
      nodes.set(key, found);
      // A group (`data`, `study`) until a command of the list takes the words.
      found.description(
        `${list
          .filter((c) => c.path.length > path.length && c.path.join(' ').startsWith(`${key} `))
          .map((c) => c.path[path.length])
          .join(', ')}: see fmnist ${key} --help`,
      );
    }
    return found;
  };
  for (const cmd of list) {
    const sub = node(cmd.path);
    leaves.add(sub);
    sub.description(cmd.summary).usage(usageLine(cmd).slice(cmd.path.join(' ').length + 1));
    for (const arg of cmd.args ?? []) sub.argument(arg.required === false ? `[${arg.name}]` : `<${arg.name}>`, arg.description);
    for (const [name, def] of Object.entries({ ...cmd.options, ...COMMON_OPTIONS })) {
      const long = def.type === 'string' ? `--${name} <${def.value ?? 'VALUE'}>` : `--${name}`;
      sub.addOption(new Option(def.short ? `-${def.short}, ${long}` : long, optionDescription(def)));
    }
    sub.action(() => {
      const values: Values = {};
      for (const option of sub.options) {
        const key = option.attributeName();
        if (sub.getOptionValueSource(key) !== 'cli' || !option.long) continue;
        // `--no-verify` is its own flag here (commander would make it `verify: false`).
        values[option.long.slice(2)] = option.negate ? true : sub.getOptionValue(key);
      }
      choose({ cmd, values, positionals: [...sub.args] });
    });
  }
  return root;
}
