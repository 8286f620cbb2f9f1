import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../init-backend';
import { splitRange } from './kernel-pool';
import { simdKernelPool } from './simd-module';

const memory = () => {
  const b = tf.backend() as unknown as { wasm: { wasmMemory?: WebAssembly.Memory } };
  if (!b.wasm.wasmMemory) throw new Error('not the pthreads build');
  return b.wasm.wasmMemory;
};

describe('kernel threads', () => {
  it('splits ranges into aligned, disjoint, covering parts', () => {
    expect(splitRange(100, 2, 8)).toEqual([[0, 56], [56, 44]]);
    expect(splitRange(10, 4, 4)).toEqual([[0, 4], [4, 4], [8, 2]]);
    expect(splitRange(3, 2, 1)).toEqual([[0, 2], [2, 1]]);
    expect(splitRange(0, 2, 8)).toEqual([]);
  });

  it('run GEMMs and convolutions on two threads with the results of the cpu backend, leaking nothing', async () => {
    const info = await initBackend({ backend: 'wasm', threads: 2 });
    expect(info.threads).toBe(2);
    expect(simdKernelPool(memory())?.threads).toBe(2);
    const work = () =>
      tf.tidy(() => {
        // Large enough to be split: 64 x 784 x 512 multiply-adds, 4 images of 14x14x32 -> 64.
        const a = tf.randomNormal([64, 784], 0, 1, 'float32', 1);
        const w = tf.randomNormal([784, 512], 0, 1, 'float32', 2);
        const x = tf.randomNormal([4, 14, 14, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
        const f = tf.randomNormal([3, 3, 32, 64], 0, 1, 'float32', 4) as tf.Tensor4D;
        const dy = tf.randomNormal([4, 14, 14, 64], 0, 1, 'float32', 5) as tf.Tensor4D;
        const df = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] }) as tf.Tensor;
        const y = tf.matMul(a, w);
        return [y, tf.matMul(a, y, true, false), tf.matMul(y, w, false, true), tf.fused.conv2d({ x, filter: f, pad: 'same', strides: 1, activation: 'relu' }), tf.conv2dTranspose(dy, f, [4, 14, 14, 32], 1, 'same'), df].map((t) => t.dataSync() as Float32Array);
      });
    work();
    const before = tf.memory().numTensors;
    const threaded = work();
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const reference = work();
    await tf.setBackend('wasm');
    reference.forEach((r, i) => {
      const scale = r.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      expect(threaded[i].reduce((m, v, j) => Math.max(m, Math.abs(v - r[j])), 0) / scale).toBeLessThan(1e-5);
    });
  });

  it('reports a kernel that fails in a worker instead of hanging', () => {
    const pool = simdKernelPool(memory());
    if (!pool) throw new Error('no pool');
    const beyond = memory().buffer.byteLength + 4096;
    // The worker's share reads past the end of memory: a trap in the worker thread.
    const args = (a: number) => [a, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0];
    expect(() => pool.run('gemm', [args(0), args(beyond)])).toThrow(/gemm failed in a worker thread/);
  });
});
