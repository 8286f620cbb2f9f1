import type { Command } from './command';

/**
 * The command `argv` names, and `argv` with that command's words first: `fmnist data --dir X info`
 * is the command `data info` with `--dir X` (not `data X`), so the parser sees `data info --dir X`.
 * Undefined command when the words name none (the parser then says which word it does not know).
 */
export function commandFirst(argv: readonly string[], list: readonly Command[]): { cmd?: Command; argv: string[]; words: string[] } {
  const takesValue = new Set<string>();
  for (const c of list) for (const [name, spec] of Object.entries(c.options)) if (spec.type === 'string') takesValue.add(name);
  const words: { word: string; at: number }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('--')) {
      if (!a.includes('=') && takesValue.has(a.slice(2))) i++;
    } else if (!a.startsWith('-')) words.push({ word: a, at: i });
  }
  const cmd = [...list].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((w, i) => words[i]?.word === w));
  if (!cmd) return { argv: [...argv], words: words.map((w) => w.word) };
  const used = new Set(words.slice(0, cmd.path.length).map((w) => w.at));
  return { cmd, argv: [...cmd.path, ...argv.filter((_, i) => !used.has(i))], words: words.map((w) => w.word) };
}
