import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../init-backend';
import { buildClaimChunks, CONTROL_BLOCK_BYTES, controlViews, jobSteps, splitRange } from './kernel-pool';
import { simdKernelPool } from './simd-module';

const memory = () => {
  const b = tf.backend() as unknown as { wasm: { wasmMemory?: WebAssembly.Memory } };
  if (!b.wasm.wasmMemory) throw new Error('not the pthreads build');
  return b.wasm.wasmMemory;
};

type WasmLike = { wasm: { _malloc(n: number): number; _free(p: number): void; HEAPF32: Float32Array } };

describe('publishing a job', () => {
  // A late worker of job 1 (its last chunk done) tries to claim again between every two writes
  // that publish job 2. With the old order (TOTAL written before STATE), it took a chunk of job 2
  // under job 1's sequence: run early with half-written arguments, counted twice.
  const lateClaims = (steps: (i32: Int32Array, f64: Float64Array) => (() => void)[]) => {
    const { i32, f64 } = controlViews(new SharedArrayBuffer(CONTROL_BLOCK_BYTES), 0);
    const claim = buildClaimChunks();
    // Job 1: 2 chunks, both done.
    i32[0] = (1 << 16) | 2;
    i32[1] = 2;
    i32[2] = 2;
    const calls: number[][] = [];
    const fns = [(...args: number[]) => calls.push(args)];
    let late = 0;
    for (const step of steps(i32, f64)) {
      step();
      claim(i32, f64, fns, 1, 1);
      late += calls.splice(0).length;
    }
    claim(i32, f64, fns, 2, 0);
    return { late, job2: calls, completed: i32[1] };
  };
  const argsList = Array.from({ length: 8 }, (_, i) => [i, 10 + i]);

  it('keeps a late worker of the previous job out, then runs every chunk of the new one once', () => {
    const { late, job2, completed } = lateClaims((i32, f64) => jobSteps(i32, f64, 2, 0, argsList));
    expect(late).toBe(0);
    expect(job2).toEqual(argsList);
    expect(completed).toBe(8);
  });

  it('(the harness catches the old order)', () => {
    const oldOrder = (i32: Int32Array, f64: Float64Array) => [
      () => argsList.forEach((a, i) => f64.set(a, i * 16)),
      () => {
        i32[3] = 0;
        i32[4] = 2;
        i32[2] = argsList.length;
        i32[1] = 0;
      },
      () => Atomics.store(i32, 0, 2 << 16),
    ];
    expect(lateClaims(oldOrder).late).toBeGreaterThan(0);
  });
});

describe('kernel threads', () => {
  it('splits ranges into aligned, disjoint, covering parts', () => {
    expect(splitRange(100, 2, 8)).toEqual([
      [0, 56],
      [56, 44],
    ]);
    expect(splitRange(10, 4, 4)).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(splitRange(3, 2, 1)).toEqual([
      [0, 2],
      [2, 1],
    ]);
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
        const df = tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] }) as tf.Tensor;
        const y = tf.matMul(a, w);
        return [
          y,
          tf.matMul(a, y, true, false),
          tf.matMul(y, w, false, true),
          tf.fused.conv2d({ x, filter: f, pad: 'same', strides: 1, activation: 'relu' }),
          tf.conv2dTranspose(dy, f, [4, 14, 14, 32], 1, 'same'),
          df,
        ].map((t) => t.dataSync() as Float32Array);
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

  it('refuses a call with more arguments than a chunk holds (POOL_MAX_ARGS), naming the kernel', () => {
    const pool = simdKernelPool(memory());
    if (!pool) throw new Error('no pool');
    // Written as is, the 17th argument would overwrite the next chunk's first.
    const args = Array.from({ length: 17 }, () => 0);
    expect(() => pool.run('adamUpdate', [args, args])).toThrow(/adamUpdate called with 17 arguments, at most POOL_MAX_ARGS = 16/);
  });

  it('runs many tiny jobs of alternating sizes on two threads exactly once each', () => {
    const pool = simdKernelPool(memory());
    if (!pool) throw new Error('no pool');
    const wasm = (tf.backend() as unknown as WasmLike).wasm;
    // C[i] += A[i] * B for 128 rows of 4: a chunk per row. A chunk run twice or skipped shows in C.
    const rows = 128;
    const a = wasm._malloc(rows * 4);
    const b = wasm._malloc(16);
    const c = wasm._malloc(rows * 16);
    const f32 = () => new Float32Array(memory().buffer);
    f32().set(
      Array.from({ length: rows }, (_, i) => (i % 7) + 1),
      a / 4,
    );
    f32().set([1, 2, 3, 4], b / 4);
    f32().fill(0, c / 4, c / 4 + rows * 4);
    const row = (i: number) => [a + 4 * i, 1, 1, b, 4, c + 16 * i, 4, 1, 1, 4, 0, 0, 1];
    const jobs = 3000;
    let runsOfRow0 = 0;
    for (let j = 0; j < jobs; j++) {
      const n = j % 2 === 0 ? 2 : rows;
      pool.run(
        'gemm',
        Array.from({ length: n }, (_, i) => row(i)),
      );
      runsOfRow0++;
    }
    const out = f32().slice(c / 4, c / 4 + rows * 4);
    for (const p of [a, b, c]) wasm._free(p);
    const expected = Array.from({ length: rows * 4 }, (_, k) => {
      const i = Math.floor(k / 4);
      const times = i < 2 ? runsOfRow0 : jobs / 2;
      return times * ((i % 7) + 1) * ((k % 4) + 1);
    });
    expect(Array.from(out)).toEqual(expected);
  });

  it('turns a worker that dies in the middle of a job into an error, and runs on without it', () => {
    const pool = simdKernelPool(memory());
    if (!pool?.terminateWorker) throw new Error('no pool with a terminate hook');
    const wasm = (tf.backend() as unknown as WasmLike).wasm;
    const n = 384;
    const a = wasm._malloc(n * n * 4);
    const c = wasm._malloc(n * n * 4);
    // 64 chunks of a 384^3 GEMM (~5 ms each on one core): the worker is inside one when it is stopped.
    const chunk = (_i: number) => [a, n, 1, a, n, c, n, n, n, n, 0, 0, 0];
    pool.terminateWorker(1, 30);
    const started = performance.now();
    expect(() => {
      for (let k = 0; k < 200; k++)
        pool.run(
          'gemm',
          Array.from({ length: 64 }, (_, i) => chunk(i)),
        );
    }).toThrow(/kernel worker thread 1 died during the job/);
    expect(performance.now() - started).toBeLessThan(20_000);
    // The calling thread still runs every chunk itself.
    f32Fill(memory(), a, n * n, 1);
    pool.run('gemm', [chunk(0), chunk(1)]);
    expect(new Float32Array(memory().buffer, c, 4)[0]).toBe(n);
    wasm._free(a);
    wasm._free(c);
  }, 60_000);
});

function f32Fill(m: WebAssembly.Memory, ptr: number, count: number, value: number): void {
  new Float32Array(m.buffer, ptr, count).fill(value);
}
