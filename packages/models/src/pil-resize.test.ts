import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';
import { pilResize } from './pil-resize';

// [height, width] in, [height, width] out: shrinking by whole and fractional factors, growing,
// one axis only, and sizes of 1.
const CASES: [number, number, number, number][] = [
  [112, 140, 28, 28],
  [28, 28, 28, 28],
  [100, 37, 28, 28],
  [29, 27, 28, 28],
  [7, 5, 28, 28],
  [28, 28, 14, 20],
  [1, 9, 3, 2],
  [600, 400, 28, 28],
];

const SCRIPT = `
import sys, numpy as np
from PIL import Image
out, cases = sys.argv[1], eval(sys.argv[2])
rng = np.random.default_rng(3)
for i, (h, w, oh, ow) in enumerate(cases):
    for mode, c in (('L', 1), ('RGB', 3)):
        a = rng.integers(0, 256, (h, w, c) if c > 1 else (h, w), dtype=np.uint8)
        a.tofile(f'{out}/{i}-{mode}.in')
        np.asarray(Image.fromarray(a, mode).resize((ow, oh), Image.BILINEAR)).tofile(f'{out}/{i}-{mode}.out')
`;

describe.runIf(pythonHas('PIL') || process.env.CI)('pilResize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pil-resize-'));
  execFileSync(PYTHON, ['-c', SCRIPT, dir, JSON.stringify(CASES)]);

  it.each(CASES.flatMap((c, i) => (['L', 'RGB'] as const).map((mode) => [i, mode, ...c] as const)))(
    'case %i %s: %ix%i → %ix%i, byte for byte Pillow’s Image.resize(BILINEAR)',
    (i, mode, h, w, oh, ow) => {
      const input = new Uint8Array(readFileSync(join(dir, `${i}-${mode}.in`)));
      const expected = new Uint8Array(readFileSync(join(dir, `${i}-${mode}.out`)));
      expect(pilResize(input, h, w, mode === 'L' ? 1 : 3, oh, ow)).toEqual(expected);
    },
  );
});
