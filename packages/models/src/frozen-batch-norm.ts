import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Kwargs = Record<string, unknown>;
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

// The models that hold a patched layer (its own `trainable` and theirs decide), set once per layer, across bundles.
const CONTAINERS = Symbol.for('@fmnist/models/frozen-batch-norm');

type Patched = Record<symbol, unknown> & { call: Call };

/**
 * Keras' rule for a frozen BatchNormalization: it runs in inference mode, normalizing with its
 * moving statistics and never updating them, even inside a training step. Frozen means its own
 * `trainable` is false, or that of a model it sits in (`base.trainable = false`, which Keras passes
 * down to every sublayer and tfjs does not). tfjs-layers' own layer ignores `trainable` there; this
 * makes one instance follow the rule (its `call` runs with `training: false` while frozen). Other
 * layers are left as they are. `containers` are the models around the layer. Returns the layer.
 */
export function followKerasFrozenBatchNorm(layer: tfl.layers.Layer, containers: readonly tfl.layers.Layer[] = []): tfl.layers.Layer {
  if (layer.getClassName() !== 'BatchNormalization') return layer;
  const self = layer as unknown as Patched;
  const known = self[CONTAINERS] as Set<tfl.layers.Layer> | undefined;
  if (known) {
    for (const c of containers) known.add(c);
    return layer;
  }
  const around = new Set(containers);
  const call = self.call.bind(layer) as Call;
  const frozen = () => !layer.trainable || [...around].some((c) => !c.trainable);
  self.call = (inputs, kwargs) => call(inputs, frozen() ? { ...kwargs, training: false } : kwargs);
  self[CONTAINERS] = around;
  return layer;
}

/** Applies `followKerasFrozenBatchNorm` to every batch-norm layer of a model, nested models included (with the models around them). */
export function followKerasFrozenBatchNorms(model: tfl.LayersModel): void {
  const visit = (layers: readonly tfl.layers.Layer[], containers: readonly tfl.layers.Layer[]) => {
    for (const layer of layers) {
      const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (Array.isArray(nested)) visit(nested, [...containers, layer]);
      else followKerasFrozenBatchNorm(layer, containers);
    }
  };
  visit(model.layers, [model as unknown as tfl.layers.Layer]);
}
