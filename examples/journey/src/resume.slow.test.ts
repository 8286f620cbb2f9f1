import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { stage6 } from '@fmnist/example-stage-6-vgg-transfer';
import { backupsDir, stageConfig } from './journey-resume';

// `pnpm journey --resume` after a SIGKILL ends as an uninterrupted journey, to the last digit
// (seconds aside). The kill is deterministic: FMNIST_JOURNEY_KILL_AT=STAGE:FIT:EPOCH:BATCH.
const here = dirname(fileURLToPath(import.meta.url));
const ARGS = ['--quick', '--stages', '5,6'];

function journey(
  out: string,
  extra: string[] = [],
  env: Record<string, string> = {},
  args: string[] = ARGS,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'main.ts'), ...args, '--out', out, ...extra], {
      cwd: here,
      env: { ...process.env, INIT_CWD: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Everything a stage reports except timings. */
function results(out: string) {
  const drop = new Set(['seconds', 'imagesPerSecond']);
  return [5, 6].map((s) => {
    const r = JSON.parse(readFileSync(join(out, `stage-${s}.json`), 'utf8')) as Record<string, unknown>;
    const history = (r.history as Record<string, unknown>[]).map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !drop.has(k))));
    return {
      testAccuracy: r.testAccuracy,
      valAccuracy: r.valAccuracy,
      trainAccuracy: r.trainAccuracy,
      confusionMatrix: r.confusionMatrix,
      transfer: r.transfer,
      history,
    };
  });
}

describe('pnpm journey --resume', () => {
  let full: ReturnType<typeof results>;
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'journey-full-'));
    const run = await journey(out);
    expect(run.code, run.stderr).toBe(0);
    full = results(out);
  }, 300_000);

  it('killed in stage 5 mid-epoch, resumed and killed again in stage 6 (second epoch of its last fit), resumed: the same results', async () => {
    const out = mkdtempSync(join(tmpdir(), 'journey-kill-'));
    const first = await journey(out, [], { FMNIST_JOURNEY_KILL_AT: '5:main:0:20' });
    expect(first.signal, first.stderr).toBe('SIGKILL');
    // Stage 5 had no finished epoch: it runs again. Stage 6's earlier fits are then restored from
    // their backups and its last fit resumes from its first epoch's.
    const second = await journey(out, ['--resume'], { FMNIST_JOURNEY_KILL_AT: '6:scratch:1:1' });
    expect(second.signal, second.stderr).toBe('SIGKILL');
    expect(existsSync(join(backupsDir(out, stageConfig(6, stage6.plan('quick'))), 'scratch', 'checkpoint.json'))).toBe(true);
    const resumed = await journey(out, ['--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/stage 5: done earlier with the same configuration/);
    expect(results(out)).toEqual(full);
    // A finished stage leaves no backups.
    expect(existsSync(backupsDir(out, stageConfig(6, stage6.plan('quick'))))).toBe(false);
  }, 300_000);

  it('a resume with another configuration runs the stage again', async () => {
    const out = mkdtempSync(join(tmpdir(), 'journey-config-'));
    expect((await journey(out, ['--stages', '5'])).code).toBe(0);
    // The kernels' knob changes no recipe, but the figures' rounding: another configuration.
    const again = await journey(out, ['--stages', '5', '--resume'], { FMNIST_WINOGRAD: '0' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/stage 5: .*another configuration; running it again/);
  }, 300_000);

  it("a stage killed in a full run and resumed with --quick (and the reverse) never continues the other's backups", async () => {
    const stage2 = (out: string, size: string[], extra: string[] = [], env: Record<string, string> = {}) =>
      journey(out, extra, env, [...size, '--stages', '2']);
    const stage2Result = (out: string) => {
      const r = JSON.parse(readFileSync(join(out, 'stage-2.json'), 'utf8')) as { testAccuracy: number; history: Record<string, number>[]; epochs: number };
      return { testAccuracy: r.testAccuracy, epochs: r.epochs, valLoss: r.history.map((e) => e.val_loss) };
    };
    const cleanQuick = mkdtempSync(join(tmpdir(), 'journey-quick-'));
    expect((await stage2(cleanQuick, ['--quick'])).code).toBe(0);

    // Full, killed in its second epoch (its first epoch's backup is on disk), then resumed with --quick.
    const out = mkdtempSync(join(tmpdir(), 'journey-mix-'));
    const killed = await stage2(out, [], [], { FMNIST_JOURNEY_KILL_AT: '2:main:1:5' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const quick = await stage2(out, ['--quick'], ['--resume']);
    expect(quick.code, quick.stderr).toBe(0);
    expect(stage2Result(out)).toEqual(stage2Result(cleanQuick));

    // The reverse: quick killed in its second epoch, resumed as a full run: that one starts afresh.
    const reverse = mkdtempSync(join(tmpdir(), 'journey-mix-reverse-'));
    const killedQuick = await stage2(reverse, ['--quick'], [], { FMNIST_JOURNEY_KILL_AT: '2:main:1:5' });
    expect(killedQuick.signal, killedQuick.stderr).toBe('SIGKILL');
    const full = await stage2(reverse, [], ['--resume']);
    expect(full.code, full.stderr).toBe(0);
    const cleanFull = mkdtempSync(join(tmpdir(), 'journey-full2-'));
    expect((await stage2(cleanFull, [])).code).toBe(0);
    expect(stage2Result(reverse)).toEqual(stage2Result(cleanFull));
  }, 600_000);
});
