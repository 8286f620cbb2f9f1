import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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
});
