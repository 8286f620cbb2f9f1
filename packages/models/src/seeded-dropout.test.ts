import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlp } from './mlp';
import { seededDropout, setDropoutStream } from './seeded-dropout';
import { DropoutStream, seedDropout } from './seeds';
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

  it('gives each model its own stream: interleaved use of two models draws what each alone would', () => {
    const x = tf.ones([8, 64]);
    const build = () => mlp({ inputs: 64, hidden: [32, 32], outputs: 4, dropout: 0.5, seed: 1 });
    const draw = (m: tfl.LayersModel) => Array.from((m.apply(x, { training: true }) as tf.Tensor).dataSync());
    const alone = build();
    expect(setDropoutStream(alone, new DropoutStream(7))).toBe(2);
    const expected = [draw(alone), draw(alone)];
    const a = build();
    const b = build();
    setDropoutStream(a, new DropoutStream(7));
    setDropoutStream(b, new DropoutStream(8));
    const got = [draw(a), draw(b), draw(a), draw(b)];
    expect([got[0], got[2]]).toEqual(expected);
    expect(got[1]).not.toEqual(got[0]);
    const stream = new DropoutStream(7);
    stream.next();
    expect(stream.state).toEqual({ seed: 7, calls: 1 });
  });
});
