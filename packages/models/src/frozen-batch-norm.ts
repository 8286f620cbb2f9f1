import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Kwargs = Record<string, unknown>;
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

// Marks a layer whose call already honours `trainable` (set once, across bundles).
const FROZEN_AWARE = Symbol.for('@fmnist/models/frozen-batch-norm');

/**
 * Keras' rule for a frozen BatchNormalization (`trainable = false`): it runs in inference mode,
 * normalizing with its moving statistics and never updating them, even inside a training step.
 * tfjs-layers' own layer ignores `trainable` there; this makes one instance follow the rule (its
 * `call` runs with `training: false` while it is frozen). Other layers are left as they are.
 * Returns the layer.
 */
export function followKerasFrozenBatchNorm(layer: tfl.layers.Layer): tfl.layers.Layer {
  const self = layer as unknown as Record<symbol, unknown> & { call: Call };
  if (layer.getClassName() !== 'BatchNormalization' || self[FROZEN_AWARE]) return layer;
  const call = self.call.bind(layer) as Call;
  self.call = (inputs, kwargs) => call(inputs, layer.trainable ? kwargs : { ...kwargs, training: false });
  self[FROZEN_AWARE] = true;
  return layer;
}

/** Applies `followKerasFrozenBatchNorm` to every batch-norm layer of a model (nested models included). */
export function followKerasFrozenBatchNorms(model: tfl.LayersModel): void {
  const visit = (layers: readonly tfl.layers.Layer[]) => {
    for (const layer of layers) {
      const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (Array.isArray(nested)) visit(nested);
      else followKerasFrozenBatchNorm(layer);
    }
  };
  visit(model.layers);
}
