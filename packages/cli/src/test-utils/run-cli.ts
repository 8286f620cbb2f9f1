import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli';

/** A fresh temporary directory for a CLI test. */
export const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `cli-${name}-`));

/** One `fmnist` command run in-process: its exit code, its lines, and its last stdout line as JSON. */
export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  json: () => Record<string, unknown>;
}

/** Runs `fmnist ...argv` in-process, without a terminal, collecting stdout and stderr lines. */
export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), isTTY: false });
  return { code, out, err, json: () => JSON.parse(out.at(-1) ?? 'null') as Record<string, unknown> };
}
