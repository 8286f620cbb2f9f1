import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams } from './model-stats';
import { createModel } from './registry';
import { useCpu } from './test-setup';
import { freeze, replaceHead, unfreeze } from './transfer';

beforeAll(useCpu);

describe('transfer learning', () => {
  it('freezes up to a layer, replaces the head sharing the base weights, and unfreezes', () => {
    const base = createModel('cnn', { seed: 1 });
    freeze(base, { upTo: 'flatten' });
    const frozen = base.layers.filter((l) => !l.trainable).map((l) => l.name);
    expect(frozen).toContain('conv_1');
    expect(frozen).toContain('flatten');
    expect(frozen).not.toContain('dense_1');
    const tuned = replaceHead(base, { classes: 5, removeLayers: 1, seed: 2 });
    const x = tf.randomUniform([2, 28, 28, 1]);
    expect((tuned.predict(x) as tf.Tensor).shape).toEqual([2, 5]);
    // The conv weights are shared by reference with the base.
    expect(tuned.getLayer('conv_1').getWeights()[0]).toBe(base.getLayer('conv_1').getWeights()[0]);
    // Only the dense layers and the new head are trainable.
    expect(countParams(tuned).trainable).toBe(3136 * 128 + 128 + 128 * 64 + 64 + 64 * 5 + 5);
    unfreeze(tuned);
    expect(countParams(tuned).trainable).toBe(429_450 - 650 + 325);
    expect(() => freeze(base, { upTo: 'nope' })).toThrow(/no layer named "nope"/);
  });
});
