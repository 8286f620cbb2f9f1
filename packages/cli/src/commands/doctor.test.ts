import { describe, expect, it } from 'vitest';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { cli } from '../test-utils/run-cli';

describe.skipIf(skipWebGpuTests('doctor.test.ts'))('fmnist doctor --backend webgpu', () => {
  it('shows the adapter: names, Dawn backend, software or not and why that is slow, limits', async () => {
    const r = await cli('doctor', '--backend', 'webgpu');
    expect(r.code, r.err.join(' ')).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^backend: {3}webgpu \(@tensorflow\/tfjs-backend-webgpu /m);
    expect(text).toMatch(/^adapter: {3}.*(llvmpipe|lavapipe|swiftshader).* \(Dawn's (vulkan|opengles) backend\)$/im);
    expect(text).toMatch(/^software: {2}true.* - a software adapter \(no GPU found\): results are correct but slow/m);
    expect(text).toMatch(/^limits: {4}maxBufferSize \d+ bytes, maxStorageBufferBindingSize \d+ bytes$/m);
  }, 60_000);

  it('--json carries the same adapter fields', async () => {
    const r = await cli('doctor', '--backend', 'webgpu', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    const { name, gpu, webgpu } = r.json() as { name: string; gpu: boolean; webgpu: Record<string, unknown> };
    expect({ name, gpu }).toEqual({ name: 'webgpu', gpu: false });
    expect(webgpu).toMatchObject({ software: true, dawnBackend: expect.stringMatching(/^(vulkan|opengles)$/) });
    for (const key of ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter', 'maxBufferSize', 'maxStorageBufferBindingSize', 'note'])
      expect(webgpu, key).toHaveProperty(key);
  }, 60_000);
});
