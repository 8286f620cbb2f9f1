import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm, prepareWasmKernels } from '../patch-wasm';
import { setWinograd, winogradApplies } from './conv2d-winograd';
import { sizes } from './test-utils';

// Winograd F(4x4, 3x3) against the cpu backend's direct convolution, on shapes chosen to reach
// every edge: odd heights and widths (partial tiles), batch 1, channel counts that are not
// multiples of 4, 'same' and 'valid'. The bound is relative to the largest reference value.
const BOUND = 1e-4;

beforeAll(async () => {
  await tf.setBackend('wasm');
  expect(await prepareWasmKernels()).toBe(true);
});
afterEach(() => setWinograd(true));
afterAll(() => patchWasm('none'));

const relDiff = (a: Float32Array, b: Float32Array) => {
  const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / scale;
};

type Pad = 'same' | 'valid';

/** Forward (bias, ReLU), plain forward, dL/dx and dL/dW of sum(conv(x, W) * dy). */
function convAndGrads(xShape: number[], fShape: number[], pad: Pad): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(xShape as [number, number, number, number], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal(fShape as [number, number, number, number], 0, 0.3, 'float32', 2) as tf.Tensor4D;
    const bias = tf.randomNormal([fShape[3]], 0, 1, 'float32', 3);
    const fused = tf.fused.conv2d({ x, filter: f, strides: 1, pad, bias, activation: 'relu' });
    const dy = tf.randomNormal(fused.shape, 0, 1, 'float32', 4);
    const [dx, df] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, pad), dy)))([x, f]);
    return [fused, tf.conv2d(x, f, 1, pad), dx, df].map((t) => t.dataSync() as Float32Array);
  });
}

async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

describe('Winograd F(4x4, 3x3) convolutions', () => {
  // Uniform in [1, n] (the generator's low bits cycle: scale its output instead of taking it mod n).
  const next = sizes(11);
  const rnd = (n: number) => 1 + Math.floor(((next(9973) - 1) / 9973) * n);
  const cases: [number[], number[], Pad][] = [];
  for (let i = 0; i < 10; i++) {
    const cin = 15 + rnd(26); // 16..41
    const cout = i === 0 ? 1 : rnd(37);
    const batch = i < 3 ? 1 : rnd(2);
    cases.push([[batch, 2 + rnd(16), 2 + rnd(16), cin], [3, 3, cin, cout], i % 2 ? 'same' : 'valid']);
  }
  // Stage 5's second layer; stage 6's widths on smaller images (the cpu reference is slow).
  cases.push([[2, 14, 14, 32], [3, 3, 32, 64], 'same'], [[1, 16, 20, 64], [3, 3, 64, 64], 'same'], [[1, 9, 7, 64], [3, 3, 64, 128], 'same']);

  it.each(cases)('x %j, filter %j, %s: forward, input and filter gradients within the bound', async (xShape, fShape, pad) => {
    patchWasm('all');
    expect(winogradApplies(3, 3, xShape[3])).toBe(true);
    const before = tf.memory();
    const ours = convAndGrads(xShape, fShape, pad);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    const ref = await onCpu(() => convAndGrads(xShape, fShape, pad));
    ref.forEach((r, i) => {
      expect(ours[i].length).toBe(r.length);
      expect(relDiff(r, ours[i])).toBeLessThan(BOUND);
    });
  });

  // Enumerated edges (as XNNPACK's testers walk them): heights and widths around the 4x4 output
  // tile, output channels around the 4-lane vector and the 8-column GEMM panel, input channels
  // with a 1-3 channel tail in the transforms.
  const SPATIAL = [1, 3, 4, 5, 7, 8, 9];
  const edges: [number[], number[], Pad][] = [
    ...SPATIAL.map((h): [number[], number[], Pad] => [[1, h, 6, 16], [3, 3, 16, 8], 'same']),
    ...SPATIAL.map((w): [number[], number[], Pad] => [[1, 6, w, 17], [3, 3, 17, 8], 'same']),
    ...[1, 3, 4, 7, 8, 9].map((cout): [number[], number[], Pad] => [[1, 6, 5, 19], [3, 3, 19, cout], 'same']),
    ...[16, 17, 18, 19, 20].map((cin): [number[], number[], Pad] => [[2, 9, 7, cin], [3, 3, cin, 9], 'valid']),
  ];

  it.each(edges)('edge shape x %j, filter %j, %s: forward, input and filter gradients within the bound', async (xShape, fShape, pad) => {
    patchWasm('all');
    const ours = convAndGrads(xShape, fShape, pad);
    const ref = await onCpu(() => convAndGrads(xShape, fShape, pad));
    ref.forEach((r, i) => {
      expect(ours[i].length).toBe(r.length);
      expect(relDiff(r, ours[i])).toBeLessThan(BOUND);
    });
  });

  it('is a different computation from direct convolution, and setWinograd(false) restores it', () => {
    patchWasm('all');
    const shape: [number[], number[], Pad] = [[2, 9, 11, 24], [3, 3, 24, 20], 'same'];
    const wino = convAndGrads(...shape);
    setWinograd(false);
    expect(winogradApplies(3, 3, 24)).toBe(false);
    const direct = convAndGrads(...shape);
    // Same values to rounding, different rounding: the paths differ.
    wino.forEach((w, i) => {
      expect(relDiff(direct[i], w)).toBeLessThan(BOUND);
      expect(
        Array.from(w).some((v, j) => v !== direct[i][j]),
        `output ${i}`,
      ).toBe(true);
    });
  });

  it('keeps fp32 accuracy on a 64-channel layer: RMS error against an fp64 reference', () => {
    patchWasm('all');
    const [n, h, w, c] = [2, 14, 14, 64];
    const x = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 5) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, c, c], 0, 0.1, 'float32', 6) as tf.Tensor4D;
    const xs = x.dataSync();
    const fs = f.dataSync();
    // fp64 'same' convolution.
    const ref = new Float64Array(n * h * w * c);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++)
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 3; j++) {
              const [yy, xi] = [y + i - 1, xx + j - 1];
              if (yy < 0 || yy >= h || xi < 0 || xi >= w) continue;
              const xo = ((b * h + yy) * w + xi) * c;
              const ro = ((b * h + y) * w + xx) * c;
              for (let ci = 0; ci < c; ci++) {
                const v = xs[xo + ci];
                const fo = ((i * 3 + j) * c + ci) * c;
                for (let co = 0; co < c; co++) ref[ro + co] += v * fs[fo + co];
              }
            }
    const rms = (got: ArrayLike<number>) => {
      let [err, norm] = [0, 0];
      for (let i = 0; i < ref.length; i++) {
        err += (got[i] - ref[i]) ** 2;
        norm += ref[i] ** 2;
      }
      return Math.sqrt(err / norm);
    };
    const wino = rms(tf.tidy(() => tf.conv2d(x, f, 1, 'same').dataSync()));
    setWinograd(false);
    const direct = rms(tf.tidy(() => tf.conv2d(x, f, 1, 'same').dataSync()));
    tf.dispose([x, f]);
    expect(direct).toBeLessThan(1e-6);
    expect(wino).toBeLessThan(1e-5);
  });
});
