import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { FastConv2D, fastConv2d } from './fast-conv2d';
import { createModel } from './registry';
import { useCpu } from './test-setup';

beforeAll(useCpu);

type ConvArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** Two convs (the second strided, ReLU'd by a layer), flatten, dense: with our conv or tfjs-layers'. */
function model(conv: (a: ConvArgs) => tfl.layers.Layer, first: Partial<ConvArgs> = {}): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(conv({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [8, 8, 1], ...first }));
  m.add(tfl.layers.reLU());
  m.add(conv({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid' }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 3 }));
  return m;
}

async function step(m: tfl.LayersModel, x: tf.Tensor) {
  let grads: tf.Tensor[] = [];
  const profile = await tf.profile(() => {
    const out = tf.variableGrads(() => tf.sum(tf.square(m.apply(x, { training: true }) as tf.Tensor)));
    grads = m.trainableWeights.map((w) => out.grads[w.originalName]);
    return out.value;
  });
  tf.dispose(profile.result as tf.Tensor);
  return { grads, kernels: profile.kernels.map((k) => k.name) };
}

describe('FastConv2D', () => {
  it("gives tfjs-layers' gradients bit for bit, without the first convolution's input gradient", async () => {
    const ours = model(fastConv2d);
    const theirs = model((a) => tfl.layers.conv2d(a));
    theirs.setWeights(ours.getWeights());
    const x = tf.randomNormal([5, 8, 8, 1], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const a = await step(ours, x);
    const b = await step(theirs, x);
    a.grads.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(b.grads[i].dataSync())));
    const count = (k: string[]) => k.filter((n) => n === 'Conv2DBackpropInput').length;
    expect(count(b.kernels)).toBe(2);
    expect(count(a.kernels)).toBe(1);
    tf.dispose([...a.grads, ...b.grads]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from((ours.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((theirs.predict(x) as tf.Tensor).dataSync()));
  });

  it("still gives the input's gradient when asked (saliency), tfjs-layers' numbers", () => {
    const ours = model(fastConv2d);
    const theirs = model((a) => tfl.layers.conv2d(a));
    theirs.setWeights(ours.getWeights());
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 8);
    const g = (m: tfl.LayersModel) => tf.grad((xx: tf.Tensor) => tf.sum(m.apply(xx, { training: true }) as tf.Tensor))(x);
    expect(Array.from(g(ours).dataSync())).toEqual(Array.from(g(theirs).dataSync()));
  });

  it("falls back to tfjs-layers' own call for what the fused kernel does not take (activation, dilation)", () => {
    for (const first of [{ activation: 'elu' as const }, { activation: 'relu' as const }]) {
      const ours = model(fastConv2d, first);
      const theirs = model((a) => tfl.layers.conv2d(a), first);
      theirs.setWeights(ours.getWeights());
      const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 9);
      const g = (m: tfl.LayersModel) => tf.grad((xx: tf.Tensor) => tf.sum(m.apply(xx, { training: true }) as tf.Tensor))(x);
      expect(Array.from(g(ours).dataSync())).toEqual(Array.from(g(theirs).dataSync()));
    }
    // Dilated: tfjs has no gradient for it; the forward is tfjs-layers'.
    const ours = model(fastConv2d, { dilationRate: 2 });
    const theirs = model((a) => tfl.layers.conv2d(a), { dilationRate: 2 });
    theirs.setWeights(ours.getWeights());
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 9);
    expect(Array.from((ours.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((theirs.predict(x) as tf.Tensor).dataSync()));
  });

  it("serialises as tfjs-layers' Conv2D: the zoo models load in plain tfjs-layers", async () => {
    for (const name of ['cnn', 'vgg-style'] as const) {
      const m = createModel(name, { seed: 1 });
      expect(m.layers.filter((l) => l instanceof FastConv2D).length).toBeGreaterThan(0);
      const json = m.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
      expect(json.config.layers.map((l) => l.class_name)).toContain('Conv2D');
      const loaded = await tfl.models.modelFromJSON({ modelTopology: json } as unknown as tf.io.ModelJSON);
      loaded.setWeights(m.getWeights());
      const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((m.predict(x) as tf.Tensor).dataSync()));
    }
  });
});
