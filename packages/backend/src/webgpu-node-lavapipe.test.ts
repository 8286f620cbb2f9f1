import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackendInfo } from './init-backend';
import { LAVAPIPE_MISSING, lavapipeEnv, skipLavapipeTests } from './test-utils/lavapipe';
import type { SgdRun } from './test-utils/sgd-run';
import { SOFTWARE_ADAPTER_NOTE } from './webgpu-node';

// The second software adapter in CI: Mesa 25's lavapipe through Dawn's Vulkan backend, unpacked
// by scripts/lavapipe.sh (the first, llvmpipe through OpenGL ES, runs webgpu-node.test.ts). A child
// process gets lavapipe's environment: Dawn dlopens libvulkan.so.1, and LD_LIBRARY_PATH only
// counts when a process starts.

type PlainRun = Omit<SgdRun, 'weights'> & { weights: number[][] };

function runChild(env: Record<string, string>, model: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@fmnist/source', '--import', 'tsx', fileURLToPath(new URL('./test-utils/webgpu-child.ts', import.meta.url)), model],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(skipLavapipeTests('webgpu-node-lavapipe.test.ts'))('initBackend({ backend: "webgpu" }) on lavapipe (Vulkan, a fallback adapter)', () => {
  it("picks Dawn's Vulkan backend, reports a fallback software adapter, and trains the cnn's first steps to the cpu backend's weights", async () => {
    const env = lavapipeEnv();
    if (!env) throw new Error(LAVAPIPE_MISSING);
    const { code, stdout, stderr } = await runChild(env, 'cnn');
    expect(code, stderr).toBe(0);
    const { info, webgpu, cpu } = JSON.parse(stdout) as { info: BackendInfo; webgpu: PlainRun; cpu: PlainRun };
    expect(info).toMatchObject({ name: 'webgpu', gpu: false, reason: "requested; a software adapter on Dawn's vulkan backend", notes: [] });
    expect(info.webgpu).toMatchObject({ dawnBackend: 'vulkan', isFallbackAdapter: true, software: true, note: SOFTWARE_ADAPTER_NOTE });
    // lavapipe names its device after llvmpipe, and its Mesa is 23 or later (22.3's is rejected by Dawn).
    expect(info.webgpu?.description).toMatch(/^llvmpipe: Mesa (2[3-9]|[3-9]\d)\./);
    for (const run of [webgpu, cpu]) expect({ ...run, weights: run.weights.length }).toMatchObject({ tensorsPerStep: 0, tensorsLeft: 0, gpuBytesLeft: 0 });
    expect(webgpu.gpuBytesHeld).toBeGreaterThan(0);
    expect(webgpu.weights.length).toBe(cpu.weights.length);
    cpu.weights.forEach((reference, i) => {
      const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-3);
      const error = webgpu.weights[i].reduce((m, v, j) => Math.max(m, Math.abs(v - reference[j])), 0) / scale;
      expect(error, `weight ${i}`).toBeLessThan(1e-4);
    });
  }, 120_000);
});
