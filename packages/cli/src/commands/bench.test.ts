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
