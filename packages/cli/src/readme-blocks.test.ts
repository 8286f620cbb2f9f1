import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Docs that compile: every ```ts block of README.md and packages/*/README.md, type-checked as a
// module of a user's project (strict, our packages as published types: their sources here).
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(here, '..', '.readme-blocks');
const readmes = ['README.md', ...['backend', 'cli', 'core', 'data', 'models', 'profiler', 'trainer', 'tuner'].map((p) => `packages/${p}/README.md`)];

interface Block {
  readme: string;
  line: number;
  file: string;
}

function extract(): Block[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const blocks: Block[] = [];
  for (const readme of readmes) {
    const lines = readFileSync(join(root, readme), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() !== '```ts') continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end].trim() !== '```') end++;
      const file = join(out, `${readme.replace(/[/.]/g, '_')}_${start + 1}.ts`);
      // A module, so top-level await and imports are what they are in a user's ESM file.
      writeFileSync(file, `${lines.slice(start, end).join('\n')}\nexport {};\n`);
      blocks.push({ readme, line: start + 1, file });
      i = end;
    }
  }
  return blocks;
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

// TypeScript does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('README TypeScript blocks', () => {
  it('every block type-checks under strict settings', () => {
    const blocks = extract();
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

  // The blocks a user would paste first run as written, on the real data (the tuner's and the
  // trainer's need a training function or 20 epochs). Models: the save block, then the one that
  // loads what it saved, in the same directory, and the one that predicts with it.
  const RUN = ['packages/backend/README.md', 'packages/data/README.md', 'packages/models/README.md', 'packages/profiler/README.md'];
  const data = '/usr/share/datasets/fashion-mnist';
  it.runIf(existsSync(join(data, 'train-images-idx3-ubyte.gz')))(
    'the backend, data, models and profiler blocks run as written',
    () => {
      const blocks = extract().filter((b) => RUN.includes(b.readme));
      expect(blocks.map((b) => b.readme)).toEqual([RUN[0], RUN[1], RUN[2], RUN[2], RUN[2], RUN[3]]);
      const cwd = mkdtempSync(join(tmpdir(), 'readme-run-'));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
      for (const block of blocks) {
        const run = spawnSync(process.execPath, ['--conditions=@fmnist/source', '--import', tsx, block.file], { cwd, encoding: 'utf8', timeout: 120_000 });
        expect(run.status, `${block.readme}:${block.line}\n${run.stderr.slice(-2000)}`).toBe(0);
      }
      expect(existsSync(join(cwd, 'cnn.onnx'))).toBe(true);
      rmSync(cwd, { recursive: true, force: true });
    },
    300_000,
  );
});
