import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { cli } from '../test-utils/run-cli';

// WebGPU in Node (CI: Mesa's llvmpipe through Dawn: slow, so one small case).
describe.skipIf(skipWebGpuTests('bench.test.ts'))('fmnist bench --backend webgpu', () => {
  it('prints the record wasm prints, plus the GPU memory and the adapter', async () => {
    const r = await cli('bench', '--model', 'mlp-small', '--mode', 'infer', '--batch', '8', '--min-time', '1', '--backend', 'wasm,webgpu', '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out).toHaveLength(2);
    const [wasm, webgpu] = r.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(webgpu)).toEqual([...Object.keys(wasm), 'adapter']);
    expect(wasm).toMatchObject({ backend: 'wasm', gpuBytes: null });
    expect(webgpu).toMatchObject({ model: 'mlp-small', mode: 'infer', backend: 'webgpu', batch: 8 });
    for (const key of ['imagesPerSecond', 'msPerStep', 'peakRssMb', 'ratio', 'gpuBytes']) {
      const value = webgpu[key];
      expect(typeof value === 'number' && Number.isFinite(value) && value > 0, `${key}: ${value}`).toBe(true);
    }
    expect(webgpu.adapter).toMatchObject({ software: expect.any(Boolean), device: expect.any(String), dawnBackend: expect.any(String) });
  }, 120_000);
});

// tensorflow (@tensorflow/tfjs-node) is not installed here: a backend that cannot activate.
describe('fmnist bench with a backend that cannot activate', () => {
  it('prints {"backend","available":false,"reason"} on stdout in --json, and fails when no backend ran', async () => {
    const r = await cli('bench', '--model', 'mlp-small', '--mode', 'infer', '--batch', '8', '--min-time', '1', '--backend', 'tensorflow', '--json');
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(1);
    const line = JSON.parse(r.out[0]) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['backend', 'available', 'reason']);
    expect(line).toMatchObject({ backend: 'tensorflow', available: false, reason: expect.stringMatching(/not installed|failed to load/) });
    expect(String(line.reason)).not.toMatch(/^backend tensorflow is not available/);
    expect(r.err[0]).toMatch(/^tensorflow: not available: (?!backend tensorflow is not available)/);
  }, 60_000);

  it('exits 0 when another asked backend ran, with the unavailable line beside its records', async () => {
    const r = await cli('bench', '--model', 'mlp-small', '--mode', 'infer', '--batch', '8', '--min-time', '1', '--backend', 'cpu,tensorflow', '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.backend, l.available])).toEqual([
      ['cpu', undefined],
      ['tensorflow', false],
    ]);
  }, 60_000);
});
