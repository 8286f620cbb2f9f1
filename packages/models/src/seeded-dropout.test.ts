import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededDropout } from './seeded-dropout';
import { seedDropout } from './seeds';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('SeededDropout', () => {
  it('draws a new mask every call, the same sequence for the same seed, and is the identity at inference', () => {
    const layer = seededDropout(0.5);
    const x = tf.ones([4, 50]);
    const run = () => (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    seedDropout(1);
    const a1 = run();
    const a2 = run();
    seedDropout(1);
    expect(run()).toEqual(a1);
    expect(a2).not.toEqual(a1);
    // Inverted dropout: kept units are scaled by 1 / (1 - rate).
    expect(new Set(a1)).toEqual(new Set([0, 2]));
    expect((layer.apply(x) as tf.Tensor).dataSync()).toEqual(x.dataSync());
    expect(layer.getClassName()).toBe('Dropout');
    expect(tfl).toBeDefined();
  });
});
