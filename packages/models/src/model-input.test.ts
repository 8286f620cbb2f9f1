import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputBatch, modelInput } from './model-input';
import { createModel } from './registry';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('the model-input convention', () => {
  it('comes from the metadata, else from the input shape with [0, 1] pixels', () => {
    const mlp = createModel('mlp-small');
    const cnn = createModel('cnn');
    expect(modelInput(mlp)).toEqual({ layout: 'flat', height: 28, width: 28, channels: 1, normalize: 'unit' });
    expect(modelInput(cnn)).toEqual({ layout: 'image', height: 28, width: 28, channels: 1, normalize: 'unit' });
    const saved = { layout: 'flat' as const, height: 32, width: 32, channels: 1, normalize: { mean: 0.3, std: 0.4 } };
    expect(modelInput(mlp, { model: 'mlp-small', input: saved })).toBe(saved);
    mlp.dispose();
    cnn.dispose();
  });

  it('shapes and normalises a batch, leaving no tensor behind', () => {
    const before = tf.memory().numTensors;
    const x = inputBatch(new Float32Array(2 * 4).fill(0.7), 2, { layout: 'image', height: 2, width: 2, channels: 1, normalize: { mean: 0.5, std: 0.1 } });
    expect(x.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(x.dataSync()).every((v) => Math.abs(v - 2) < 1e-5)).toBe(true);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => inputBatch(new Float32Array(3), 1, { layout: 'flat', height: 2, width: 2, channels: 1, normalize: 'unit' })).toThrow(
      /expected 1 x 4 pixels, got 3/,
    );
  });
});
