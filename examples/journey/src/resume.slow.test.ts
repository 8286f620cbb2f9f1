import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupsDir, stageConfig } from './journey-resume';

// `pnpm journey --resume` after a SIGKILL ends as an uninterrupted journey, to the last digit
// (seconds aside). The kill is deterministic: FMNIST_JOURNEY_KILL_AT=STAGE:FIT:EPOCH:BATCH.
const here = dirname(fileURLToPath(import.meta.url));
const ARGS = ['--quick', '--stages', '5,6'];

function journey(out: string, extra: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'main.ts'), ...ARGS, '--out', out, ...extra], {
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
    expect(existsSync(join(backupsDir(out, stageConfig(6, true)), 'scratch', 'checkpoint.json'))).toBe(true);
    const resumed = await journey(out, ['--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/stage 5: done earlier with the same configuration/);
    expect(results(out)).toEqual(full);
    // A finished stage leaves no backups.
    expect(existsSync(backupsDir(out, stageConfig(6, true)))).toBe(false);
  }, 300_000);

  it('a resume with another configuration runs the stage again', async () => {
    const out = mkdtempSync(join(tmpdir(), 'journey-config-'));
    expect((await journey(out, ['--stages', '5'])).code).toBe(0);
    const again = await journey(out, ['--stages', '5', '--resume'], { FMNIST_VGG_EPOCHS: '2' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/stage 5: .*another configuration; running it again/);
  }, 300_000);
});
