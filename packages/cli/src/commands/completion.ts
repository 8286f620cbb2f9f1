import type { Command } from '../command';
import { COMMON_OPTIONS } from '../usage';
import { UsageError } from '../usage-error';

const SHELLS = ['bash'] as const;

const quote = (words: Iterable<string>) => [...words].join(' ');

/**
 * A bash completion script for `list`, generated from the command words and option tables:
 * command words, each command's options, an option's choices after it, and files elsewhere.
 */
export function bashCompletion(list: readonly Command[]): string {
  const below = new Map<string, Set<string>>();
  for (const c of list)
    for (let i = 0; i < c.path.length; i++) {
      const key = c.path.slice(0, i).join(' ');
      below.set(key, (below.get(key) ?? new Set()).add(c.path[i]));
    }
  const takesValue = new Set<string>();
  const choices: string[] = [];
  const options: string[] = [];
  for (const c of list) {
    const table = { ...c.options, ...COMMON_OPTIONS };
    options.push(`    "${c.path.join(' ')}") echo "${quote(Object.keys(table).map((n) => `--${n}`))} --help";;`);
    for (const [name, def] of Object.entries(table)) {
      if (def.type === 'string') takesValue.add(`--${name}`);
      if (def.choices) choices.push(`    "${c.path.join(' ')}|--${name}") echo "${quote(def.choices)}";;`);
    }
  }
  return `# fmnist completion for bash (zsh: run autoload -U +X bashcompinit && bashcompinit first).
# Load it with: eval "$(fmnist completion bash)", or save it as ~/.local/share/bash-completion/completions/fmnist
_fmnist_words() {
  case "$1" in
${[...below].map(([path, next]) => `    "${path}") echo "${quote(next)}";;`).join('\n')}
  esac
}
_fmnist_options() {
  case "$1" in
${options.join('\n')}
  esac
}
_fmnist_choices() {
  case "$1|$2" in
${choices.join('\n')}
  esac
}
_fmnist() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" w i
  local valued=" ${quote(takesValue)} "
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* || "$valued" == *" \${COMP_WORDS[i-1]} "* ]] && continue
    [[ " $(_fmnist_words "$path") " == *" $w "* ]] && path="\${path:+$path }$w"
  done
  if [[ "$prev" == --* && "$valued" == *" $prev "* ]]; then
    local values; values="$(_fmnist_choices "$path" "$prev")"
    if [[ -n "$values" ]]; then COMPREPLY=($(compgen -W "$values" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_fmnist_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_fmnist_words "$path")" -- "$cur"))
    [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -F _fmnist fmnist`;
}

/** `fmnist completion bash`: the shell completion script of `list`'s commands. */
export function completionCommand(list: readonly Command[]): Command {
  return {
    path: ['completion'],
    summary: 'Print a shell completion script (commands, options, their choices)',
    args: [{ name: 'SHELL', description: `the shell: ${SHELLS.join(', ')}` }],
    options: {},
    run({ positionals, io }) {
      const shell = positionals[0];
      if (!SHELLS.includes(shell as (typeof SHELLS)[number]))
        throw new UsageError(`completion: expected a shell, one of ${SHELLS.join(', ')}; got ${JSON.stringify(shell)}`);
      io.stdout(bashCompletion([...list, completionCommand([])]));
    },
  };
}
