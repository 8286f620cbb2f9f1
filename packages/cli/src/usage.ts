import type { Command, OptionDef, OptionTable } from './command';

/** The options every command takes (beside `--help`, which the parser adds). */
export const COMMON_OPTIONS: OptionTable = {
  json: { type: 'boolean', description: 'machine-readable output: JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress or information on stderr (errors still)' },
  debug: { type: 'boolean', description: 'print stack traces with errors' },
};

/** `--epochs N`, `--resume`. */
export function optionTerm(name: string, def: OptionDef): string {
  return def.type === 'string' ? `--${name} ${def.value ?? 'VALUE'}` : `--${name}`;
}

/** The option's line of help: what it does, then its choices and default. */
export function optionDescription(def: OptionDef): string {
  const extra = [
    ...(def.choices ? [`choices: ${def.choices.join(', ')}`] : []),
    ...(def.default !== undefined ? [`default: ${def.default}`] : []),
    ...(def.required ? ['required'] : []),
  ];
  return extra.length > 0 ? `${def.description} (${extra.join('; ')})` : def.description;
}

/** The usage line after `fmnist`: the command's words, its arguments, then every option it takes. */
export function usageLine(cmd: Command): string {
  const args = (cmd.args ?? []).map((a) => (a.required === false ? `[${a.name}]` : a.name));
  const options = Object.entries({ ...cmd.options, ...COMMON_OPTIONS }).map(([name, def]) => {
    const term = optionTerm(name, def);
    return def.required ? term : `[${term}]`;
  });
  return [...cmd.path, ...args, ...options].join(' ');
}
