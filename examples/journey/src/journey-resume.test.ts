import { stage2 } from '@fmnist/example-stage-2-mlp-subset';
import { stage5 } from '@fmnist/example-stage-5-cnn';
import { stage6 } from '@fmnist/example-stage-6-vgg-transfer';
import type { StagePlan } from '@fmnist/example-stage-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { backupsDir, stageConfig } from './journey-resume';
import { STAGES } from './stages';

const config = (stage: number, size: 'quick' | 'full' | 'long') => stageConfig(stage, STAGES[stage - 1].plan(size));

/** Every leaf of a plan (recipes and steps), as a path of keys. */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

/** A copy of `plan` with the leaf at `path` changed (a number plus one, a boolean flipped, a string suffixed). */
function changed(plan: StagePlan, path: string[]): StagePlan {
  const copy = structuredClone(plan) as unknown as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
  const key = path[path.length - 1];
  const v = parent[key];
  parent[key] = typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : v === null ? 1 : `${String(v)}-changed`;
  return copy as unknown as StagePlan;
}

afterEach(() => {
  delete process.env.FMNIST_VGG_EPOCHS;
  delete process.env.FMNIST_WINOGRAD;
});

describe('stageConfig: a stage is the same configuration only when its plan and the knobs are', () => {
  it('changes with every field of every recipe and every custom step, in every stage', () => {
    for (const definition of STAGES) {
      for (const size of ['quick', 'full'] as const) {
        const plan = definition.plan(size);
        const hashes = new Set([stageConfig(definition.stage, plan).hash]);
        const paths = leaves(plan);
        for (const path of paths) {
          const h = stageConfig(definition.stage, changed(plan, path)).hash;
          expect(hashes.has(h), `stage ${definition.stage} ${size} ${path.join('.')}`).toBe(false);
          hashes.add(h);
        }
        expect(hashes.size, `stage ${definition.stage}`).toBeGreaterThan(5);
      }
    }
  });

  it('is the same for the same plan, made again (no clock, no machine in it)', () => {
    for (const d of STAGES) expect(config(d.stage, 'full')).toEqual(config(d.stage, 'full'));
  });

  it('tells a --long stage 6 from the default one, and only stage 6', () => {
    expect(config(6, 'long').hash).not.toBe(config(6, 'full').hash);
    expect(config(6, 'long').recipes.main).not.toBe(config(6, 'full').recipes.main);
    // --long changes nothing else, so a resumed --long journey keeps stages 1-5 and 7.
    for (const s of [1, 2, 3, 4, 5, 7]) expect(config(s, 'long')).toEqual(config(s, 'full'));
  });

  it('tells quick from full and one stage from another', () => {
    for (const d of STAGES) expect(config(d.stage, 'quick').hash, `stage ${d.stage}`).not.toBe(config(d.stage, 'full').hash);
    expect(config(5, 'full').hash).not.toBe(config(6, 'full').hash);
    // Two stages with the same plan are still two configurations.
    expect(stageConfig(2, stage2.plan('full')).hash).not.toBe(stageConfig(3, stage2.plan('full')).hash);
  });

  it("reads a knob that changes a recipe into the plan (FMNIST_VGG_EPOCHS: stage 6 only), and the kernels' knobs into every stage", () => {
    const before = [stageConfig(5, stage5.plan('full')).hash, stageConfig(6, stage6.plan('full')).hash];
    process.env.FMNIST_VGG_EPOCHS = '2';
    expect(stage6.plan('full').recipes.main.fit.epochs).toBe(2);
    expect(stageConfig(6, stage6.plan('full')).hash).not.toBe(before[1]);
    expect(stageConfig(5, stage5.plan('full')).hash).toBe(before[0]);
    delete process.env.FMNIST_VGG_EPOCHS;
    process.env.FMNIST_WINOGRAD = '0';
    expect(stageConfig(5, stage5.plan('full')).hash).not.toBe(before[0]);
    expect(stageConfig(5, stage5.plan('full')).env).toEqual({ FMNIST_WINOGRAD: '0' });
  });

  it('names the fit backups by configuration: a quick stage never continues a full one', () => {
    expect(backupsDir('/r', config(2, 'quick'))).not.toBe(backupsDir('/r', config(2, 'full')));
    expect(backupsDir('/r', config(2, 'full'))).toBe(backupsDir('/r', config(2, 'full')));
    expect(backupsDir('/r', config(2, 'full'))).toMatch(/^\/r\/backups\/stage-2-[0-9a-f]{16}$/);
  });
});
