import { createModel, type ModelName, type ZooOptions } from '@fmnist/models';
import { seedDropout } from '@fmnist/models/internal';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Every zoo model by its registry name, for first-steps checks on a software adapter: the real
 * layer types (dense, conv, batch norm in training mode, max pooling, dropout), narrower and on
 * small batches where the full size would be slow on the CPU. Adding a zoo model without an entry
 * here fails the typecheck.
 */
export const ZOO_STEPS: { [N in ModelName]: { options: ZooOptions[N]; shape: number[] } } = {
  'mlp-small': { options: { seed: 1 }, shape: [16, 784] },
  'mlp-wide': { options: { seed: 2 }, shape: [8, 784] },
  mlp: { options: { hidden: [64, 32], dropout: 0.25, activation: 'tanh', seed: 3 }, shape: [16, 784] },
  'dynamic-mlp': { options: { nLayers: 2, width: 48, dropout: 0.2, batchNorm: true, seed: 4 }, shape: [16, 784] },
  cnn: { options: { filters: [8, 16], dense: [32, 16], seed: 5 }, shape: [8, 28, 28, 1] },
  'vgg-style': { options: { blocks: [8, 12], dense: 24, seed: 6 }, shape: [4, 28, 28, 1] },
};

/** A fresh zoo model of `ZOO_STEPS`, its dropout stream reseeded: its masks are the same on every backend. */
export function makeZooModel(name: ModelName): LayersModel {
  seedDropout(7);
  return createModel(name, ZOO_STEPS[name].options);
}
