import { DataLoader } from '@fmnist/data';
import { cnn, freeze, mlp, replaceHead } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit';
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

const data = toyDataset(64);
const snapshot = (m: tfl.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));

/** Weights of the frozen layers before and after training: a frozen base does not change at all, moving statistics included. */
async function frozenBaseAfterFit(model: tfl.LayersModel, layout: 'flat' | 'image', fusedStep: boolean) {
  const head = replaceHead(model, { classes: 4 });
  freeze(head, { upTo: -2 });
  const frozen = head.layers.filter((l) => !l.trainable && l.weights.length > 0);
  const before = frozen.map((l) => l.weights.map((w) => Array.from(w.read().dataSync())));
  await fit(head, new DataLoader(data, { batchSize: 16, seed: 1, layout }), { epochs: 2, optimizer: { name: 'adam', lr: 0.01 }, fusedStep });
  const after = frozen.map((l) => l.weights.map((w) => Array.from(w.read().dataSync())));
  return { before, after, head, bnCount: frozen.filter((l) => l.getClassName() === 'BatchNormalization').length };
}

describe('freeze() freezes batch norm as Keras does: inference statistics, no moving-average updates', () => {
  for (const fusedStep of [true, false]) {
    it(`zoo MLP with our batch norm (${fusedStep ? 'fused step allowed' : 'tape'})`, async () => {
      const { before, after, bnCount } = await frozenBaseAfterFit(
        mlp({ inputs: 64, hidden: [16, 8], outputs: 4, batchNorm: true, seed: 1 }),
        'flat',
        fusedStep,
      );
      expect(bnCount).toBe(2);
      expect(after).toEqual(before);
    });
  }

  it('zoo CNN (our batch norm after convolutions)', async () => {
    const { before, after, bnCount } = await frozenBaseAfterFit(
      cnn({ inputShape: [8, 8, 1], classes: 4, filters: [4, 8], dense: [8], seed: 2 }),
      'image',
      true,
    );
    expect(bnCount).toBeGreaterThan(0);
    expect(after).toEqual(before);
  });

  it("tfjs-layers' own BatchNormalization in a user's model", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [64], units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
        tfl.layers.batchNormalization(),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.dense({ units: 4, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const { before, after, bnCount } = await frozenBaseAfterFit(model, 'flat', true);
    expect(bnCount).toBe(1);
    expect(after).toEqual(before);
  });

  it('a frozen batch norm normalizes with its moving statistics while training (the same output as inference)', () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, batchNorm: true, seed: 1 });
    freeze(model);
    const x = tf.randomNormal([16, 64], 0, 1, 'float32', 3);
    const [train, infer] = tf.tidy(() => [model.apply(x, { training: true }) as tf.Tensor, model.apply(x, { training: false }) as tf.Tensor]);
    expect(Array.from(train.dataSync())).toEqual(Array.from(infer.dataSync()));
    // Unfrozen, it trains on batch statistics again.
    model.layers.forEach((l) => {
      l.trainable = true;
    });
    const again = tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
    expect(Array.from(again.dataSync())).not.toEqual(Array.from(infer.dataSync()));
    tf.dispose([x, train, infer, again]);
    expect(snapshot(model).length).toBeGreaterThan(0);
  });

  for (const how of ['base.trainable = false', 'freeze(outer, { upTo: 0 })', 'a functional model around a frozen base'] as const) {
    it(`a frozen base nested in another model (${how}) keeps its moving statistics, our batch norm and tfjs' own`, async () => {
      const base = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [64], units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
          tfl.layers.batchNormalization(),
          tfl.layers.activation({ activation: 'relu' }),
        ],
      });
      const ours = mlp({ inputs: 8, hidden: [8], outputs: 8, batchNorm: true, seed: 2 });
      let outer: tfl.LayersModel;
      if (how === 'a functional model around a frozen base') {
        base.trainable = false;
        ours.trainable = false;
        const input = tfl.input({ shape: [64] });
        const features = ours.apply(base.apply(input)) as tfl.SymbolicTensor;
        outer = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 4 }).apply(features) as tfl.SymbolicTensor });
      } else {
        outer = tfl.sequential({ layers: [base, ours, tfl.layers.dense({ units: 4 })] });
        if (how === 'base.trainable = false') {
          base.trainable = false;
          ours.trainable = false;
        } else freeze(outer, { upTo: 1 });
      }
      const frozenStats = () =>
        [base, ours].flatMap((m) =>
          m.layers.filter((l) => l.getClassName() === 'BatchNormalization').flatMap((l) => l.weights.map((w) => Array.from(w.read().dataSync()))),
        );
      const before = frozenStats();
      expect(before).toHaveLength(8);
      await fit(outer, new DataLoader(data, { batchSize: 16, seed: 1 }), { epochs: 1, optimizer: { name: 'adam', lr: 0.01 } });
      expect(frozenStats()).toEqual(before);
    });
  }
});
