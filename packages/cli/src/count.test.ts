import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count } from './count';

describe('count', () => {
  it('says 1 epoch, 0 and 2 epochs, and takes an irregular plural', () => {
    expect([0, 1, 2].map((n) => count(n, 'epoch'))).toEqual(['0 epochs', '1 epoch', '2 epochs']);
    expect(count(1, 'batch', 'batches')).toBe('1 batch');
    expect(count(3, 'batch', 'batches')).toBe('3 batches');
  });

  it('no command prints a count with a fixed plural ("1 epochs")', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const fixed = /\$\{[^}]+\} (?:[a-z]+ )?(?:epochs|trials|images|values|kernels|batches|jobs|job\(s\)|argument\(s\))\b/;
    const found = files.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
        .filter(({ line }) => fixed.test(line)),
    );
    expect(found).toEqual([]);
  });
});
