import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, flopsPerImage } from './model-stats';
import { createModel, listModels } from './registry';
import { summarize } from './summary';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('the zoo', () => {
  const expected: [Parameters<typeof createModel>[0], number, number[]][] = [
    ['mlp-small', 109_386, [784]],
    ['mlp-wide', 669_706, [784]],
    ['cnn', 429_450, [28, 28, 1]],
    ['vgg-style', 1_868_234, [28, 28, 1]],
  ];

  it.each(expected)("%s has exactly the PyTorch original's %d trainable parameters and maps a batch to 10 logits", (name, trainable, input) => {
    const before = tf.memory().numTensors;
    const model = createModel(name, { seed: 1 });
    expect(countParams(model).trainable).toBe(trainable);
    const y = tf.tidy(() => model.predict(tf.zeros([3, ...input])) as tf.Tensor);
    expect(y.shape).toEqual([3, 10]);
    y.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts BatchNorm moving statistics as non-trainable', () => {
    const model = createModel('cnn');
    expect(countParams(model).nonTrainable).toBe(2 * (32 + 64));
    model.dispose();
  });

  it('computes FLOPs per image from Dense and Conv2D layers', () => {
    const model = createModel('mlp-small');
    // 2 * (784*128 + 128*64 + 64*10) plus one op per activation output.
    expect(flopsPerImage(model)).toBe(2 * (784 * 128 + 128 * 64 + 64 * 10) + 128 + 64);
    model.dispose();
  });

  it('lists every model with stage, params, FLOPs and input shape', () => {
    const list = listModels();
    expect(list.map((m) => m.name)).toEqual(['mlp-small', 'mlp-wide', 'mlp', 'dynamic-mlp', 'cnn', 'vgg-style']);
    const cnn = list.find((m) => m.name === 'cnn');
    expect(cnn).toMatchObject({ stage: 5, trainableParams: 429_450, inputShape: [28, 28, 1] });
    expect(cnn?.flopsPerImage).toBeGreaterThan(2 * 9 * 32 * 64 * 14 * 14);
  });

  it('is reproducible from a seed', () => {
    const a = createModel('mlp-small', { seed: 3 });
    const b = createModel('mlp-small', { seed: 3 });
    const c = createModel('mlp-small', { seed: 4 });
    expect(a.getWeights()[0].dataSync()).toEqual(b.getWeights()[0].dataSync());
    expect(a.getWeights()[0].dataSync()).not.toEqual(c.getWeights()[0].dataSync());
    // PyTorch's init: uniform in ±1/sqrt(fan_in).
    const w = a.getWeights()[0].dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(784));
    for (const m of [a, b, c]) m.dispose();
  });

  it('builds dynamic MLPs and rejects bad options by name', () => {
    const m = createModel('dynamic-mlp', { nLayers: 3, width: 64, dropout: 0.3, batchNorm: true });
    expect(m.layers.filter((l) => l.getClassName() === 'Dense')).toHaveLength(4);
    expect(m.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(3);
    m.dispose();
    expect(() => createModel('dynamic-mlp', { nLayers: 0, width: 3 })).toThrow(/nLayers: expected a positive integer/);
    expect(() => createModel('mlp', { hidden: [10], dropout: 1.5 })).toThrow(/dropout\[0\]: expected a dropout rate/);
    expect(() => createModel('nope' as 'cnn')).toThrow(/unknown model "nope": expected one of mlp-small/);
  });

  it('prints a Keras-style summary', () => {
    const m = createModel('cnn');
    const text = summarize(m);
    expect(text).toContain('conv_1 (Conv2D)');
    expect(text).toContain('Trainable params: 429,450');
    m.dispose();
  });
});
