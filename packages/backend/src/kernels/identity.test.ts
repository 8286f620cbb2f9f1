import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWasm } from '../patch-wasm';
import { offsetOf, type WasmBackendLike } from './wasm-backend-like';

beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasm('all');
});
afterAll(() => {
  patchWasm('none');
});

const backend = () => tf.backend() as unknown as WasmBackendLike & { numDataIds(): number };

describe('Identity on patched wasm', () => {
  it('shares the input memory (no copy) and keeps it until the last reference goes', () => {
    const ids = backend().numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(offsetOf(backend(), y)).toBe(offsetOf(backend(), x));
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const z = tf.add(y, 1);
    expect(Array.from(z.dataSync())).toEqual([2, 3, 4, 5, 6, 7]);
    tf.dispose([y, z]);
    expect(backend().numDataIds()).toBe(ids);
  });

  it('saved tensors of a gradient (the engine clones them) give the same gradients and leave nothing behind', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([-1, 0.5, 2]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), tf.exp(a))))(x);
    const e = [-1, 0.5, 2].map((v) => (v > 0 ? Math.exp(v) * (1 + v) : 0));
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(e[i], 4));
    tf.dispose([x, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('strings keep stock behaviour', () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = tf.clone(s);
    expect(c.dataSync()).toEqual(['a', 'b']);
    tf.dispose([s, c]);
  });
});
