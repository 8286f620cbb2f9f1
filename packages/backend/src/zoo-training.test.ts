import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { cnn, mlp, vggStyle } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend';
import { weightsAfterSgdSteps } from './test-utils/sgd-steps';

// The "correctness first": the zoo's architectures (narrower, so the cpu reference stays
// quick; no dropout, so both backends see the same network) trained a few steps on wasm with all
// our kernels and two kernel threads end with the weights the plain-JS cpu backend computes. (While
// recording gradients tfjs applies Dense ReLUs unfused: the fused path is covered in simd-kernels.test.ts.)

const models: [string, () => LayersModel, number[]][] = [
  ['mlp with batch norm', () => mlp({ hidden: [96, 40], batchNorm: true, seed: 1 }), [24, 784]],
  ['cnn', () => cnn({ filters: [8, 16], dense: [32, 16], dropout: 0, seed: 2 }), [24, 28, 28, 1]],
  ['vgg-style', () => vggStyle({ blocks: [8, 12], dense: 24, dropout: 0, seed: 3 }), [12, 28, 28, 1]],
];

describe('zoo models train to the same weights on wasm (our kernels, 2 threads) as on cpu', () => {
  it.each(models)(
    '%s',
    async (_name, make, shape) => {
      await initBackend({ backend: 'wasm', threads: 2 });
      const ours = await weightsAfterSgdSteps(make, shape);
      await tf.setBackend('cpu');
      const reference = await weightsAfterSgdSteps(make, shape);
      expect(ours.length).toBe(reference.length);
      reference.forEach((r, i) => {
        const scale = r.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-3);
        expect(ours[i].reduce((m, v, j) => Math.max(m, Math.abs(v - r[j])), 0) / scale).toBeLessThan(1e-4);
      });
    },
    60_000,
  );
});

describe("the zoo's convolutions skip the data's gradient on wasm without changing a weight", () => {
  it.each(models.slice(1))(
    '%s: FastConv2D and tfjs-layers Conv2D train to the same weights, bit for bit',
    async (_name, make, shape) => {
      await initBackend({ backend: 'wasm', threads: 2 });
      const ours = await weightsAfterSgdSteps(make, shape);
      // The same model with tfjs-layers' own Conv2D call (the fused op whose gradient computes everything).
      const plain = () => {
        const m = make();
        for (const layer of m.layers) if (layer.getClassName() === 'Conv2D') layer.call = Object.getPrototypeOf(Object.getPrototypeOf(layer)).call.bind(layer);
        return m;
      };
      const reference = await weightsAfterSgdSteps(plain, shape);
      reference.forEach((r, i) => expect(Array.from(ours[i])).toEqual(Array.from(r)));
    },
    60_000,
  );
});
