import { describe, expect, it } from 'vitest';
import { exportProblems, generateAs, generateTs, type KernelTable, type Param, tableProblems } from '../../../scripts/kernel-abi.mjs';

// The generator of the kernels' call interface (scripts/kernel-abi.mjs), on small tables.

const ptrs = (n: number): Param[] => Array.from({ length: n }, (_, i) => [`p${i}`, 'ptr']);

function table(kernels: KernelTable['kernels'], paramBlocks: KernelTable['paramBlocks'] = {}): KernelTable {
  return { constants: { POOL_MAX_ARGS: { doc: 'limit', value: 16, as: 'i32' } }, paramBlocks, kernels };
}

/** What asc's `--bindings raw` declares for one export. */
const declared = (name: string, params: [string, string][]) =>
  `  /**\n   * assembly/x/${name}\n${params.map(([n, t]) => `   * @param ${n} \`${t}\`\n`).join('')}   */\n  export function ${name}(${params.map(([n]) => `${n}: number`).join(', ')}): void;\n`;

describe('the kernel table', () => {
  it("refuses a pooled kernel with more parameters than the pool's POOL_MAX_ARGS, naming it", () => {
    expect(tableProblems(table({ big: { doc: '', pooled: true, params: ptrs(16) } }))).toEqual([]);
    const problems = tableProblems(table({ big: { doc: '', pooled: true, params: ptrs(17) } }));
    expect(problems).toEqual([expect.stringMatching(/kernel big has 17 parameters, but the kernel pool passes at most POOL_MAX_ARGS = 16/)]);
    // Called directly (adamUpdate: 17 parameters), the limit does not apply.
    expect(tableProblems(table({ big: { doc: '', params: ptrs(17) } }))).toEqual([]);
  });

  it('refuses float fields in an i32 parameter block', () => {
    expect(tableProblems(table({}, { blk: { doc: '', fields: [['scale', 'f32']] } }))).toEqual([expect.stringMatching(/block blk: field scale has type f32/)]);
  });

  it('checks the AssemblyScript exports: names, order and types, missing and extra exports', () => {
    const t = table({
      k: {
        doc: '',
        params: [
          ['a', 'ptr'],
          ['n', 'i32'],
          ['relu', 'bool'],
        ],
      },
    });
    expect(
      exportProblems(
        t,
        declared('k', [
          ['a', 'usize'],
          ['n', 'i32'],
          ['relu', 'bool'],
        ]),
      ),
    ).toEqual([]);
    expect(
      exportProblems(
        t,
        declared('k', [
          ['n', 'i32'],
          ['a', 'usize'],
          ['relu', 'bool'],
        ]),
      ),
    ).toEqual(['kernel k: the table says (a: ptr, n: i32, relu: bool), assembly says (n: i32, a: ptr, relu: bool)']);
    expect(
      exportProblems(
        t,
        declared('k', [
          ['a', 'usize'],
          ['n', 'f32'],
          ['relu', 'bool'],
        ]),
      )[0],
    ).toMatch(/assembly says \(a: ptr, n: f32/);
    expect(exportProblems(t, declared('other', []))).toEqual([
      'kernel k is in scripts/kernel-table.mjs but not exported by assembly/index.ts',
      'assembly/index.ts exports other, which scripts/kernel-table.mjs does not declare',
    ]);
  });

  it('writes a parameter block in TS at the byte offsets the AssemblyScript reader loads', () => {
    const t = table(
      {},
      {
        blk: {
          doc: '',
          fields: [
            ['x', 'ptr'],
            ['n', 'i32'],
            ['relu', 'bool'],
          ],
        },
      },
    );
    const ts = generateTs(t);
    const as = generateAs(t);
    expect(ts).toContain('export const BLK_PARAMS_BYTES = 16;');
    expect(ts).toMatch(/i32\[0\] = p\.x;\n {2}i32\[1\] = p\.n;\n {2}i32\[2\] = p\.relu \? 1 : 0;/);
    expect(as).toContain('@inline get x(): usize {\n    return <usize>load<i32>(changetype<usize>(this), 0);');
    expect(as).toContain('@inline get n(): i32 {\n    return load<i32>(changetype<usize>(this), 4);');
    expect(as).toContain('@inline get relu(): bool {\n    return load<i32>(changetype<usize>(this), 8) != 0;');
  });
});
