import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAVAPIPE_MISSING, lavapipeEnv, skipLavapipeTests } from '../../../backend/src/test-utils/lavapipe';
import { skipWebGpuTests } from '../../../backend/src/test-utils/webgpu-driver';
import { cli } from '../test-utils/run-cli';

/** `fmnist doctor ...argv` in a child process with `env` added (Dawn reads its drivers' environment when a process starts). */
function doctorChild(env: Record<string, string>, ...argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const bin = fileURLToPath(new URL('../bin.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', bin, 'doctor', ...argv], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

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

  it("prints no libwayland 'XDG_RUNTIME_DIR is invalid' lines where no session sets it (Mesa's Vulkan device-select layer is left out)", async () => {
    const r = await doctorChild({ XDG_RUNTIME_DIR: '' }, '--backend', 'webgpu');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^backend: {3}webgpu /m);
    expect(r.err).not.toMatch(/XDG_RUNTIME_DIR/);
  }, 60_000);

  it('--json carries the same adapter fields', async () => {
    const r = await cli('doctor', '--backend', 'webgpu', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    const { name, gpu, webgpu } = r.json() as { name: string; gpu: boolean; webgpu: Record<string, unknown> };
    expect({ name, gpu }).toEqual({ name: 'webgpu', gpu: false });
    expect(webgpu).toMatchObject({ available: true, software: true, dawnBackend: expect.stringMatching(/^(vulkan|opengles)$/) });
    for (const key of ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter', 'maxBufferSize', 'maxStorageBufferBindingSize', 'note'])
      expect(webgpu, key).toHaveProperty(key);
  }, 60_000);

  it('without an adapter (no Vulkan driver, no EGL display): the report on the backend auto picks, the reason and the fix, exit 1', async () => {
    // A Vulkan loader that finds no driver file, and an EGL that knows no such platform: Dawn finds nothing.
    const nothing = { VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json', EGL_PLATFORM: 'invalid' };
    const r = await doctorChild(nothing, '--backend', 'webgpu', '--json');
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as { name: string; webgpu: Record<string, unknown>; data: unknown };
    expect(report.name).not.toBe('webgpu');
    expect(report.data).toBeDefined();
    expect(report.webgpu).toEqual({
      available: false,
      problem: 'adapter',
      reason: 'no WebGPU adapter (vulkan backend: no adapter; opengles backend: no adapter)',
      fix: expect.stringMatching(/Vulkan driver.*apt-get install libegl1 libgles2 libegl-mesa0/),
    });
  }, 60_000);
});

describe.skipIf(skipLavapipeTests('doctor.test.ts'))('fmnist doctor --backend webgpu on lavapipe (Vulkan)', () => {
  it("reports the fallback adapter on Dawn's Vulkan backend, in text and JSON", async () => {
    const env = lavapipeEnv();
    if (!env) throw new Error(LAVAPIPE_MISSING);
    const [text, json] = await Promise.all([doctorChild(env, '--backend', 'webgpu'), doctorChild(env, '--backend', 'webgpu', '--json')]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^adapter: {3}.* - llvmpipe: Mesa .* \(Dawn's vulkan backend\)$/m);
    expect(text.out).toMatch(/^software: {2}true \(a fallback adapter\) - a software adapter \(no GPU found\)/m);
    expect(json.code, json.err).toBe(0);
    expect((JSON.parse(json.out) as { webgpu: unknown }).webgpu).toMatchObject({
      available: true,
      dawnBackend: 'vulkan',
      isFallbackAdapter: true,
      software: true,
    });
  }, 60_000);
});
