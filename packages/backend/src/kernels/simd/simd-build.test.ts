import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../init-backend';

// A GEMM (our BatchMatMul) and a convolution on the wasm backend, printed as JSON with the build
// that ran them; the same script runs in a child process with plain SIMD.
const script = `
import { initBackend } from '@fmnist/backend';
import * as tf from '@tensorflow/tfjs-core';
const info = await initBackend({ backend: 'wasm', threads: 1 });
const a = tf.randomUniform([67, 300], -1, 1, 'float32', 1);
const b = tf.randomUniform([300, 45], -1, 1, 'float32', 2);
const x = tf.randomUniform([2, 9, 9, 16], -1, 1, 'float32', 3);
const w = tf.randomUniform([3, 3, 16, 24], -1, 1, 'float32', 4);
const out = { build: info.kernelBuild, gemm: Array.from(tf.matMul(a, b).dataSync()), conv: Array.from(tf.conv2d(x, w, 1, 'same').dataSync()) };
console.log(JSON.stringify(out));
`;

function run(env: Record<string, string>): { build: string; gemm: number[]; conv: number[] } {
  const out = execFileSync(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', '--input-type=module', '-e', script], {
    // The package's own directory, so `@fmnist/backend` resolves (by self-reference) wherever vitest runs.
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

describe('the relaxed-SIMD build', () => {
  it('runs wherever the engine has relaxed SIMD, Node 20 included (a V8 flag set at start-up)', async () => {
    const info = await initBackend({ backend: 'wasm', threads: 1 });
    expect(info.kernelBuild).toBe('relaxed-simd');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('gives plain SIMD results within float rounding, and FMNIST_RELAXED_SIMD=0 picks plain SIMD', () => {
    const relaxed = run({});
    const plain = run({ FMNIST_RELAXED_SIMD: '0' });
    expect(relaxed.build).toBe('relaxed-simd');
    expect(plain.build).toBe('simd');
    for (const key of ['gemm', 'conv'] as const) {
      const scale = Math.max(...plain[key].map(Math.abs));
      const diff = Math.max(...plain[key].map((v, i) => Math.abs(v - relaxed[key][i])));
      expect(diff / scale, key).toBeLessThan(1e-5);
    }
  }, 60_000);
});
