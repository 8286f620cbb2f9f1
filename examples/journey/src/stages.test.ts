import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StageDefinition, stageMet } from '@fmnist/example-stage-kit';
import { describe, expect, it } from 'vitest';
import { STAGES, stageDefinition } from './stages';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');

/** The README's stage table: stage number → its reference and target cells. */
function readmeTable(): Map<number, { reference: string; target: string }> {
  const rows = new Map<number, { reference: string; target: string }>();
  const start = readme.indexOf('## Stages');
  for (const line of readme.slice(start).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const stage = Number(cells[1]);
    if (line.startsWith('|') && Number.isInteger(stage) && stage > 0) rows.set(stage, { reference: cells[4], target: cells[5] });
    if (rows.size > 0 && !line.startsWith('|')) break;
  }
  return rows;
}

const percent = (v: number) => `${Number((v * 100).toFixed(2))}%`;

describe('the stages as definitions', () => {
  it('are stages 1 to 7, in order, each with a reference and a target', () => {
    expect(STAGES.map((d) => d.stage)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const d of STAGES) {
      expect(d.target, `stage ${d.stage}`).toBeGreaterThan(0);
      expect(d.target).toBeLessThan(1);
    }
    expect(() => stageDefinition(8)).toThrow(/^--stages: no stage 8; stages are 1 to 7$/);
  });

  it("agree with the README's table: the target written there is the one `met` is decided by", () => {
    const table = readmeTable();
    expect([...table.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const d of STAGES) {
      const row = table.get(d.stage) as { reference: string; target: string };
      expect(row.target, `stage ${d.stage}`).toBe(`≥ ${percent(d.target)}`);
      expect(row.reference, `stage ${d.stage}`).toContain(percent(d.reference).replace(/%$/, ''));
    }
  });

  it('decide `met` by one rule: the test accuracy reaches the target', () => {
    const d: Pick<StageDefinition, 'target'> = { target: 0.885 };
    expect(stageMet(d, 0.885)).toBe(true);
    expect(stageMet(d, 0.8849)).toBe(false);
  });
});
