import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// scripts/gpu-check.sh against a fake bundle: bin/node.xz is a wrapper around this Node, fmnist.mjs
// a stand-in CLI that prints what it was asked. The real run needs a GPU; this checks the script.
const script = fileURLToPath(new URL('../../../scripts/gpu-check.sh', import.meta.url));

const FAKE_CLI = `
const argv = process.argv.slice(2);
const model = argv.includes('--model') ? argv[argv.indexOf('--model') + 1] : undefined;
const seen = { argv, dataDir: process.env.FMNIST_DATA_DIR, path0: process.env.PATH.split(':')[0] };
if (argv[0] === 'doctor' && argv.includes('wasm')) {
  console.error('doctor: "wasm" failed\\tto start');
  process.exit(3);
}
console.log(JSON.stringify({ model, mode: 'infer', imagesPerSecond: 1, ...seen }));
console.log('a line that is not JSON');
if (model === 'hang') setInterval(() => {}, 1000);
`;

interface Line {
  step: string;
  status?: string;
  [key: string]: unknown;
}

/** Runs the script on a fake bundle with these settings; its lines, its stdout and its TMPDIR. */
function runOnFakeBundle(settings: Record<string, string>): { lines: Line[]; stdout: string; tmp: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-check-'));
  const bundle = join(dir, 'bundle');
  const tmp = join(dir, 'tmp');
  mkdirSync(join(bundle, 'bin'), { recursive: true });
  mkdirSync(tmp);
  writeFileSync(join(bundle, 'bin', 'node'), `#!/bin/sh\nexec '${process.execPath}' "$@"\n`);
  execFileSync('xz', [join(bundle, 'bin', 'node')]);
  writeFileSync(join(bundle, 'fmnist.mjs'), FAKE_CLI);
  writeFileSync(join(bundle, 'manifest.json'), '{\n  "commit": "abc"\n}\n');
  writeFileSync(join(dir, 'python'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const run = spawnSync('bash', [script], {
    encoding: 'utf8',
    // No Node on PATH: the script must use the bundle's.
    env: { PATH: '/usr/bin:/bin', HOME: dir, TMPDIR: tmp, OUT: dir, FMNIST_GPU_BUNDLE: bundle, FMNIST_PYTHON: join(dir, 'python'), ...settings },
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = readFileSync(join(dir, 'gpu-check.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  return { lines, stdout: run.stdout, tmp, dir };
}

describe.runIf(process.platform === 'linux')('scripts/gpu-check.sh', () => {
  let lines: Line[] = [];
  let stdout = '';
  let tmp = '';
  let dir = '';

  // A Vulkan driver file naming a library that exists (this Node: ldd finds all it links).
  const icdDir = mkdtempSync(join(tmpdir(), 'gpu-check-icd-'));
  const icd = join(icdDir, 'fake_icd.json');
  writeFileSync(icd, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: process.execPath, api_version: '1.3' } }));

  beforeAll(() => {
    ({ lines, stdout, tmp, dir } = runOnFakeBundle({
      VK_DRIVER_FILES: icd,
      FMNIST_GPU_CHECK_MODELS: 'mlp-small,hang,cnn',
      FMNIST_GPU_CHECK_MIN_TIME_MS: '5',
      FMNIST_GPU_CHECK_STEP_TIMEOUT_S: '4',
    }));
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(icdDir, { recursive: true, force: true });
  });

  const step = (name: string) => lines.filter((l) => l.step === name);
  const status = (name: string) => step(name).find((l) => l.status);

  it('tags every line with its step, the steps in order, each ending with its status', () => {
    expect(lines.every((l) => typeof l.step === 'string')).toBe(true);
    const order = [...new Set(lines.map((l) => l.step))];
    expect(order).toEqual([
      'start',
      'prepare',
      'env',
      'doctor-webgpu',
      'doctor-wasm',
      'profile-mlp-wide',
      'torch-cuda',
      'bench-mlp-small',
      'bench-hang',
      'bench-cnn',
      'end',
    ]);
    expect(step('start')[0]).toMatchObject({ minTimeMs: 5, budgetS: 270, bundle: { commit: 'abc' } });
    expect(status('prepare')).toMatchObject({ status: 'ok', rc: 0 });
  });

  it("keeps a command's JSON records whole after the tag, with the bundle's Node, data and flags", () => {
    const [record] = step('bench-mlp-small');
    expect(record).toMatchObject({ step: 'bench-mlp-small', model: 'mlp-small', mode: 'infer', imagesPerSecond: 1 });
    expect(record.argv).toEqual(['bench', '--model', 'mlp-small', '--mode', 'both', '--backend', 'wasm,webgpu', '--min-time', '5', '--json']);
    expect(String(record.dataDir)).toMatch(new RegExp(`^${tmp}/fmnist-gpu-check\\.\\w+/b/data$`));
    expect(String(record.path0)).toMatch(/\/b\/bin$/);
    expect(status('bench-mlp-small')).toMatchObject({ status: 'ok', records: 1, stdoutOther: 'a line that is not JSON' });
    expect(step('profile-mlp-wide')[0].argv).toEqual([
      'profile',
      '--model',
      'mlp-wide',
      '--mode',
      'infer',
      '--batch',
      '64',
      '--backend',
      'webgpu,wasm',
      '--json',
    ]);
    expect(step('doctor-webgpu')[0].argv).toEqual(['doctor', '--backend', 'webgpu', '--json']);
  });

  it('records a failing step with its exit code and stderr, a step past its time as timeout, and goes on', () => {
    expect(status('doctor-wasm')).toMatchObject({ status: 'failed', rc: 3, records: 0, stderrTail: 'doctor: "wasm" failed\tto start' });
    expect(status('torch-cuda')).toMatchObject({ status: 'skipped' });
    expect(String(status('torch-cuda')?.reason)).toMatch(/import torch/);
    // The hung command's record printed before the timeout is kept.
    expect(step('bench-hang')[0]).toMatchObject({ model: 'hang' });
    expect(status('bench-hang')).toMatchObject({ status: 'timeout', rc: 124, timeoutS: 4 });
    expect(status('bench-cnn')).toMatchObject({ status: 'ok', records: 1 });
    expect(stdout).toMatch(/bench-hang: timeout/);
    expect(stdout).toMatch(/doctor-wasm: failed .*doctor: "wasm" failed\tto start/);
  });

  it("records the CPU, the system libstdc++ and whether it has GLIBCXX_3.4.30, and the ICD library's missing links", () => {
    const env = step('env').find((l) => !l.status);
    expect(env).toMatchObject({
      cpuModel: expect.stringMatching(/\S/),
      avx512f: expect.any(Boolean),
      libstdcxx: expect.stringMatching(/libstdc\+\+\.so\.6$/),
      glibcxx3430: expect.any(Boolean),
      vulkanIcd: icd,
      icdLibrary: process.execPath,
      icdLibraryFound: true,
      icdLibraryMissing: [],
    });
    expect(Object.keys(env ?? {})).toEqual(expect.arrayContaining(['nvidiaSmi', 'carriedLibs', 'ldLibraryPath']));
  });

  it('leaves no temporary folder behind', () => {
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('skips every step once the budget is spent, still writing a line per step', () => {
    const spent = runOnFakeBundle({ FMNIST_GPU_CHECK_BUDGET_S: '1', FMNIST_GPU_CHECK_MODELS: 'cnn' });
    const statuses = spent.lines.filter((l) => l.status).map((l) => [l.step, l.status]);
    expect(statuses).toEqual(
      ['prepare', 'env', 'doctor-webgpu', 'doctor-wasm', 'profile-mlp-wide', 'torch-cuda', 'bench-cnn'].map((name) => [name, 'skipped']),
    );
    expect(spent.stdout).toMatch(/bench-cnn/);
    rmSync(spent.dir, { recursive: true, force: true });
  });
});
