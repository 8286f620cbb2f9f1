import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../data/src/test-utils/synthetic-fashion';

// Progress as a user sees it: `fmnist train` in a pseudo-terminal (util-linux `script`), not a mocked stream.
const here = dirname(fileURLToPath(import.meta.url));
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cli-${name}-`));
let data: string;
beforeAll(() => {
  data = tmp('pty-data');
  writeSyntheticSplit(data, 'train', 600);
  writeSyntheticSplit(data, 'test', 100);
});

/** Runs the CLI with stdout and stderr on a pty; resolves with everything the terminal got. */
function inTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, '--conditions=@fmnist/source', '--import', 'tsx', join(here, 'bin.ts'), ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    // Not CI: CI=true (set by CI runners) turns live progress off, as it should.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI'));
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: here, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
  });
}

const train = () => ['train', '--model', 'mlp-small', '--epochs', '2', '--batch', '8', '--dir', data, '--no-verify', '--backend', 'cpu', '--val', '0.1'];

// Terminal handling does not depend on Node's version: not rerun on the Node legs.
describe.runIf(process.platform === 'linux' && !process.env.FMNIST_NODE_LEG)('live progress in a terminal', () => {
  it('fmnist train draws a live line within each epoch (batch k/n, ETA, loss, accuracy, images/s), then the epoch line', async () => {
    const out = await inTerminal(train());
    expect(out).toMatch(/\rEpoch 1\/2 \[[=.]{24}\] \d+\/68 ETA \d+s · loss \d\.\d{4} · accuracy \d\.\d{4} · \d+ img\/s/);
    expect(out).toMatch(/\rEpoch 2\/2 \d+\.\ds · loss .* val_accuracy/);
    expect(out).toMatch(/test accuracy/);
  }, 120_000);

  it('fmnist tune draws the live line within the epochs of each trial', async () => {
    const tune = [
      'tune',
      '--trials',
      '1',
      '--max-epochs',
      '1',
      '--subset',
      '300',
      '--dir',
      data,
      '--no-verify',
      '--backend',
      'cpu',
      '--no-test',
      '--seed',
      '1',
    ];
    const out = await inTerminal(tune);
    expect(out).toMatch(/\rEpoch 1\/1 \[[=.]{24}\] \d+\/\d+ ETA \d+s/);
    expect(out).toMatch(/best trial 0/);
  }, 120_000);

  it('fmnist bench says on a live line what it is measuring, and clears it', async () => {
    const out = await inTerminal(['bench', '--model', 'mlp-small', '--mode', 'infer', '--backend', 'cpu', '--min-time', '200', '--batch', '64']);
    expect(out).toContain('\rmeasuring mlp-small infer on cpu (batch 64, at least 0.2 s)...\r\u001b[K');
    expect(out).toMatch(/mlp-small infer cpu: \d+ img\/s/);
  }, 120_000);

  it('--quiet prints no progress and no information, only the results', async () => {
    const out = await inTerminal([...train(), '--quiet']);
    expect(out).not.toMatch(/Epoch|backend/);
    expect(out).toMatch(/test accuracy/);
  }, 120_000);
});
