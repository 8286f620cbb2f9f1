import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Docs that run: every ```ts (or ```js) block of README.md and packages/*/README.md is
// type-checked as a module of a user's project (strict, our packages as published types: their
// sources here), and every block of a package README runs as written: the README's blocks in order,
// in one fresh temporary directory (so one block may load what an earlier one saved), on the real
// data. A block preceded by the line `<!-- readme-blocks: no-run -->` is a fragment that is only
// type-checked; the first block of a package README may not be one.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(here, '..', '.readme-blocks');
const packages = readdirSync(join(root, 'packages')).sort();
const readmes = ['README.md', ...packages.map((p) => `packages/${p}/README.md`)];
const NO_RUN = '<!-- readme-blocks: no-run -->';
const LANGS: Record<string, string> = { ts: 'ts', typescript: 'ts', js: 'mjs', javascript: 'mjs' };

interface Block {
  readme: string;
  line: number;
  file: string;
  run: boolean;
}

function extract(): Block[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const blocks: Block[] = [];
  for (const readme of readmes) {
    const lines = readFileSync(join(root, readme), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const ext = LANGS[/^```(\w+)\s*$/.exec(lines[i].trim())?.[1] ?? ''];
      if (!ext) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end].trim() !== '```') end++;
      const file = join(out, `${readme.replace(/[/.]/g, '_')}_${start + 1}.${ext}`);
      // A module, so top-level await and imports are what they are in a user's ESM file.
      writeFileSync(file, `${lines.slice(start, end).join('\n')}\nexport {};\n`);
      blocks.push({ readme, line: start + 1, file, run: lines[i - 1]?.trim() !== NO_RUN });
      i = end;
    }
  }
  return blocks;
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs one block as a user's script (tsx, our sources), without blocking the test worker. */
function runBlock(file: string, cwd: string, tsx: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', tsx, file], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 240_000,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

// TypeScript does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('README TypeScript blocks', () => {
  it('every block type-checks under strict settings', () => {
    const blocks = extract().filter((b) => b.file.endsWith('.ts'));
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const program = ts.createProgram(
      blocks.map((b) => b.file),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        customConditions: ['@fmnist/source'],
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        esModuleInterop: true,
        resolveJsonModule: true,
      },
    );
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && blocks.some((b) => b.file === d.file?.fileName))
      .map((d) => {
        const block = blocks.find((b) => b.file === d.file?.fileName) as Block;
        const { line } = (d.file as ts.SourceFile).getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.readme}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(errors, `in ${relative(root, out)}`).toEqual([]);
  }, 120_000);

  it('every package README starts with an example that runs', () => {
    const blocks = extract();
    const first = packages.map((p) => blocks.find((b) => b.readme === `packages/${p}/README.md`));
    expect(first.map((b, i) => (b?.run ? packages[i] : `${packages[i]}: ${b ? `${b.readme}:${b.line} is marked no-run` : 'no ts/js block'}`))).toEqual(
      packages,
    );
  });

  const data = '/usr/share/datasets/fashion-mnist';
  it.runIf(existsSync(join(data, 'train-images-idx3-ubyte.gz'))).each(packages)(
    'every block of the %s README runs as written',
    async (name) => {
      const blocks = extract().filter((b) => b.readme === `packages/${name}/README.md` && b.run);
      const cwd = mkdtempSync(join(tmpdir(), `readme-run-${name}-`));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
      try {
        for (const block of blocks) {
          const run = await runBlock(block.file, cwd, tsx);
          expect(run.status, `${block.readme}:${block.line}\n${run.stderr.slice(-2000)}`).toBe(0);
        }
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
