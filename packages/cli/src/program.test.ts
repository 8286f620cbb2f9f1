import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from './commands';
import { cli } from './test-utils/run-cli';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `fmnist ...path --help`: its usage line and its option lines (term, description) as printed. */
async function help(path: string[]): Promise<{ usage: string; options: Map<string, string> }> {
  const r = await cli(...path, '--help');
  expect(r.code, r.err.join(' ')).toBe(0);
  const text = r.out.join('\n');
  const usage = text.split('\n')[0];
  const options = new Map<string, string>();
  // An option line starts with its flags; its description may wrap onto the lines below.
  const section = text.slice(text.indexOf('\nOptions:\n'));
  for (const block of section.split(/\n(?= {2}(?:-\w, )?--)/).slice(1)) {
    const m = /^ {2}(?:-\w, )?--([\w-]+)(?: <[^>]+>)?(.*)$/s.exec(block);
    if (m) options.set(m[1], m[2].replace(/\s+/g, ' ').trim());
  }
  return { usage, options };
}

describe('fmnist explains itself', () => {
  it('--help of every command describes every option, and its usage line names them all', async () => {
    for (const cmd of commands) {
      const { usage, options } = await help(cmd.path);
      const where = `fmnist ${cmd.path.join(' ')} --help`;
      for (const name of [...Object.keys(cmd.options), 'json', 'quiet', 'debug']) {
        expect(options.get(name), `${where}: --${name} described`).toMatch(/\w{3,}/);
        expect(usage, `${where}: usage line names --${name}`).toMatch(new RegExp(`--${name}\\b`));
      }
      for (const [name, def] of Object.entries(cmd.options)) {
        if (def.default !== undefined) expect(options.get(name), `${where}: --${name}'s default`).toContain(`default: ${def.default}`);
        if (def.choices) expect(options.get(name), `${where}: --${name}'s choices`).toContain(`choices: ${def.choices.join(', ')}`);
      }
    }
  });

  it('train --help: the model flags are in the usage line, and each flag says its default', async () => {
    const { usage, options } = await help(['train']);
    for (const flag of ['--hidden UNITS', '--layers N', '--width W', '--batch-norm', '--dropout RATE']) expect(usage).toContain(`[${flag}]`);
    expect(options.get('epochs')).toMatch(/epochs to train.*\(default: 5\)/);
    expect(options.get('optimizer')).toMatch(/choices: sgd, adam, adamw, rmsprop; default: adam/);
    expect(options.get('hidden')).toMatch(/\(mlp\)/);
  });

  it('the defaults train --help shows are the ones a run without those flags gets', async () => {
    const { options } = await help(['train']);
    const shown = (name: string) => /default: ([^;)]+)/.exec(options.get(name) ?? '')?.[1];
    const r = await cli('train', '--model', 'mlp-small', '--print-recipe');
    const recipe = JSON.parse(r.out.join('\n'));
    expect({
      epochs: shown('epochs'),
      batch: shown('batch'),
      optimizer: shown('optimizer'),
      lr: shown('lr')?.split(' ')[0],
      val: shown('val'),
      seed: shown('seed'),
      'label-smoothing': shown('label-smoothing'),
      normalize: shown('normalize'),
      'weight-decay': shown('weight-decay'),
    }).toEqual({
      epochs: String(recipe.fit.epochs),
      batch: String(recipe.data.batchSize),
      optimizer: recipe.fit.optimizer.name,
      lr: String(recipe.fit.optimizer.lr),
      val: String(recipe.data.validation),
      seed: String(recipe.fit.seed),
      'label-smoothing': String(recipe.fit.labelSmoothing),
      normalize: recipe.data.normalize,
      'weight-decay': String(recipe.fit.optimizer.weightDecay),
    });
  });

  it('fmnist --help lists every command with its summary', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    const text = r.out.join('\n').replace(/\s+/g, ' ');
    for (const cmd of commands)
      expect(text).toContain(`${cmd.path.join(' ')}${cmd.args?.length ? ` ${cmd.args.map((a) => a.name).join(' ')}` : ''} ${cmd.summary}`);
    expect((await cli()).out.join('\n')).toBe(r.out.join('\n'));
  });

  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await cli(flag);
      expect(r.code).toBe(0);
      expect(r.out).toEqual([version]);
    }
  });

  it('an unknown option or command is one line with a suggestion, exit 2', async () => {
    for (const [argv, message] of [
      [['train', '--epoch', '3'], /^fmnist: unknown option '--epoch' \(did you mean --epochs\?\); see fmnist train --help$/],
      [['trian'], /^fmnist: unknown command 'trian' \(did you mean train\?\)/],
      [['data', 'inf'], /^fmnist: unknown command 'inf' \(did you mean info\?\)/],
      [['study', 'best', '--stroage', 'x'], /unknown option '--stroage' \(did you mean --storage\?\)/],
      [['data', 'inspect', 'a', 'b'], /too many arguments for 'inspect'\. Expected 1 argument but got 2; see fmnist data inspect --help$/],
      [['study'], /^fmnist: study needs a command: one of list, show, best, export/],
    ] as const) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
  });

  it('reads an option value that looks like a flag as its value, and --no-* flags as given', async () => {
    const r = await cli('train', '--model', 'mlp-small', '--lr', '-1', '--print-recipe');
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/--lr: expected a number from 1e-12 to 100, got "-1"/);
    const fused = await cli('train', '--model', 'mlp-small', '--no-fused-step', '--no-verify', '--print-recipe');
    expect(fused.code, fused.err.join(' ')).toBe(0);
  });
});
