import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tmp } from '../test-utils/run-cli';
import { commands } from '.';

let script: string;
beforeAll(async () => {
  const r = await cli('completion', 'bash');
  expect(r.code, r.err.join(' ')).toBe(0);
  script = join(tmp('completion'), 'fmnist.bash');
  writeFileSync(script, r.out.join('\n'));
});

/** What bash offers after typing `words` (the last one being completed). */
function complete(...words: string[]): string[] {
  const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fmnist; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program, 'bash', script, 'fmnist', ...words], { encoding: 'utf8', cwd: tmp('cwd') })
    .split('\n')
    .filter(Boolean);
}

describe.runIf(process.platform !== 'win32')('fmnist completion bash', () => {
  it('completes command words, options and their choices', () => {
    expect(complete('tr')).toEqual(['train']);
    expect(complete('data', '')).toEqual(['info', 'inspect', 'fetch', 'preview']);
    expect(complete('data', '--dir', 'd', 'info', '--no')).toEqual(['--no-verify']);
    expect(complete('train', '--opt')).toEqual(['--optimizer']);
    expect(complete('train', '--optimizer', '')).toEqual(['sgd', 'adam', 'adamw', 'rmsprop']);
    expect(complete('study', 'best', '--st')).toEqual(['--study', '--storage']);
  });

  it("offers every command's every option", () => {
    for (const cmd of commands) expect(complete(...cmd.path, '--')).toEqual(expect.arrayContaining(Object.keys(cmd.options).map((o) => `--${o}`)));
  });

  it('refuses a shell it does not know (exit 2)', async () => {
    const r = await cli('completion', 'tcsh');
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/completion: expected a shell, one of bash; got "tcsh"/);
  });
});
