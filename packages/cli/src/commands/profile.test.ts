import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { cli } from '../test-utils/run-cli';

// WebGPU in Node (CI: Mesa's llvmpipe through Dawn: slow, so small batches and a short measure).
describe.skipIf(skipWebGpuTests('profile.test.ts'))('fmnist profile --backend wasm,webgpu', () => {
  const args = ['profile', '--model', 'mlp-small', '--batch', '8,64', '--min-time', '1', '--backend', 'wasm,webgpu'];

  it('prints both backends and the CPU-vs-GPU table (the adapter named, RSS for wasm, GPU memory for webgpu)', async () => {
    const r = await cli(...args);
    expect(r.code, r.err.join('\n')).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^\| mlp-small \| infer \| wasm \| 8 \|/m);
    expect(text).toMatch(/^\| mlp-small \| infer \| webgpu \(.+\) \| 64 \|/m);
    const table = text.slice(text.indexOf('per backend, batch of 64:')).split('\n');
    expect(table[1]).toMatch(/^backend\s+mode\s+batch\s+p50 ms\s+p95 ms\s+images\/s\s+pipelined\s+memory$/);
    expect(table.slice(3)).toEqual([
      expect.stringMatching(/^wasm\s+infer\s+64\s+[\d.]+\s+[\d.]+\s+[\d,]+\s+[\d,]+\s+\d+ MB RSS$/),
      expect.stringMatching(/^webgpu \((software: )?.+\)\s+infer\s+64\s+[\d.]+\s+[\d.]+\s+[\d,]+\s+[\d,]+\s+[\d.]+ MB GPU$/),
    ]);
  }, 120_000);

  it('prints JSON lines for both, with gpuBytes (null on wasm) and the adapter on webgpu', async () => {
    const r = await cli(...args, '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const lines = r.out.map((line) => JSON.parse(line) as { backend: string; batch: number; gpuBytes: number | null; adapter?: { software: boolean } });
    expect(lines.map((l) => [l.backend, l.batch])).toEqual([
      ['wasm', 8],
      ['wasm', 64],
      ['webgpu', 8],
      ['webgpu', 64],
    ]);
    expect(lines[0].gpuBytes).toBeNull();
    expect(lines[0].adapter).toBeUndefined();
    expect(lines[3].gpuBytes).toBeGreaterThan(0);
    expect(typeof lines[3].adapter?.software).toBe('boolean');
  }, 120_000);
});

// tensorflow (@tensorflow/tfjs-node) is not installed here: a backend that cannot activate.
describe('fmnist profile with a backend that cannot activate', () => {
  it('prints {"backend","available":false,"reason"} on stdout in --json, and fails when no backend ran', async () => {
    const r = await cli('profile', '--model', 'mlp-small', '--batch', '8', '--min-time', '1', '--backend', 'tensorflow', '--json');
    expect(r.code).toBe(1);
    expect(r.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { backend: 'tensorflow', available: false, reason: expect.stringMatching(/^(?!backend tensorflow is not available).*(not installed|failed to load)/) },
    ]);
    expect(r.err[0]).toMatch(/^tensorflow: not available: (?!backend tensorflow is not available)/);
  }, 60_000);

  it('exits 0 when another asked backend ran', async () => {
    const r = await cli('profile', '--model', 'mlp-small', '--batch', '8', '--min-time', '1', '--backend', 'cpu,tensorflow', '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.map((l) => (JSON.parse(l) as { backend: string; available?: boolean }).available)).toEqual([undefined, false]);
  }, 60_000);
});
