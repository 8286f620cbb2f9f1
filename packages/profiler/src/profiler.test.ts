import '@tensorflow/tfjs-backend-cpu';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { toChromeTrace } from './chrome-trace';
import { formatResultsTable } from './format-results';
import { profileCall } from './kernel-breakdown';
import { checkLeaks, expectNoLeaks } from './leak-check';
import { profileModel } from './profile-model-node';
import { latencyStats, percentile } from './stats';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = () => mlp({ inputs: 32, hidden: [16], outputs: 4 });

describe('profileModel', () => {
  it('reports positive, consistent latency and throughput per batch size', async () => {
    const model = small();
    const results = await profileModel(model, { batchSizes: [1, 8], iterations: 10, warmup: 1 });
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.latencyMs.p50).toBeGreaterThan(0);
      expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p95);
      expect(r.latencyMs.p95).toBeLessThanOrEqual(r.latencyMs.p99);
      // throughput x mean latency = batch size
      expect((r.imagesPerSecond * r.latencyMs.mean) / 1000).toBeCloseTo(r.batch, 6);
      expect(r.params).toBe(32 * 16 + 16 + 16 * 4 + 4);
      expect(r.peakBytes).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThan(0);
      expect(r.kernels.length).toBeGreaterThan(0);
      expect(r.machine.backend).toBe('cpu');
      expect(r.retainedBytes).toBe(0);
    }
    expect(formatResultsTable(results)).toContain('| mlp | infer | cpu | 8 |');
  });

  it('profiles training steps without leaking', async () => {
    const before = tf.memory().numTensors;
    const [r] = await profileModel(small(), { mode: 'train', batchSizes: [16], iterations: 5 });
    expect(r.mode).toBe('train');
    expect(r.kernels.map((k) => k.name)).toEqual(expect.arrayContaining(['BatchMatMul']));
    expect(tf.memory().numTensors - before).toBe(4); // the model's own weights
  });

  it('rejects bad options', async () => {
    await expect(profileModel(small(), { mode: 'fit' as 'train' })).rejects.toThrow(/mode: expected 'infer' or 'train'/);
    await expect(profileModel(small(), { batchSizes: [0] })).rejects.toThrow(/batchSizes: expected positive integers/);
  });
});

describe('leak check', () => {
  it('catches a leaking function and passes a clean one', async () => {
    const kept: tf.Tensor[] = [];
    const leaky = () => kept.push(tf.ones([10]));
    const report = await checkLeaks(leaky, { steps: 4 });
    expect(report).toMatchObject({ leaking: true, tensorsPerStep: 1, bytesPerStep: 40 });
    await expect(expectNoLeaks(leaky)).rejects.toThrow(/tensor leak: 1 tensors \(40 bytes\) kept per call/);
    await expect(expectNoLeaks(() => tf.tidy(() => tf.sum(tf.ones([10])).dataSync()))).resolves.toBeUndefined();
    tf.dispose(kept);
  });

  it("does not count what the function returns (the caller's result), only what it leaves behind", async () => {
    const x = tf.ones([4, 3]);
    await expect(expectNoLeaks(() => tf.tidy(() => tf.matMul(x, x, false, true)))).resolves.toBeUndefined();
    await expect(expectNoLeaks(() => ({ a: tf.add(x, 1), b: [tf.mul(x, 2)] }))).resolves.toBeUndefined();
    // Returned and leaked: only the leak counts.
    const kept: tf.Tensor[] = [];
    await expect(
      expectNoLeaks(() => {
        kept.push(tf.ones([2]));
        return tf.add(x, 1);
      }),
    ).rejects.toThrow(/1 tensors \(8 bytes\) kept per call/);
    const before = tf.memory().numTensors;
    await checkLeaks(() => tf.add(x, 1));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...kept]);
  });
});

describe('Chrome trace', () => {
  it('is a valid trace-event document with one complete event per kernel', async () => {
    const model = small();
    const call = await profileCall(() => tf.tidy(() => model.predict(tf.ones([2, 32])) as tf.Tensor).dataSync() as unknown as undefined);
    const trace = toChromeTrace(call.records, { name: 'mlp', backend: 'cpu' });
    const json = JSON.parse(JSON.stringify(trace));
    expect(json.displayTimeUnit).toBe('ms');
    const complete = json.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    expect(complete).toHaveLength(call.records.length);
    let last = -1;
    for (const e of complete) {
      expect(typeof e.name).toBe('string');
      expect(e.cat).toBe('kernel');
      expect(Number.isFinite(e.ts) && e.ts >= last).toBe(true);
      expect(e.dur).toBeGreaterThan(0);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      last = e.ts + e.dur - 1e-6;
    }
    expect(json.traceEvents.filter((e: { ph: string }) => e.ph === 'M')).toHaveLength(2);
  });

  it('draws a kernel without a time (WebGPU without timestamp-query) 1 µs long, marked untimed', () => {
    const trace = toChromeTrace([{ name: 'MatMul', ms: null, inputShapes: [[2, 2]], outputShapes: [[2, 2]] }], { name: 'm', backend: 'webgpu' });
    expect(trace.traceEvents[2]).toMatchObject({ name: 'MatMul', dur: 0.001, args: { timed: false } });
  });
});

describe('stats', () => {
  it('interpolates percentiles like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8, 10);
    expect(latencyStats([1, 1, 1]).std).toBe(0);
  });
});
