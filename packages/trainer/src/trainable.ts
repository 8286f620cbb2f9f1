import * as tf from '@tensorflow/tfjs-core';
import { type DropoutStream, followKerasFrozenBatchNorms, setDropoutStream } from '@fmnist/models/internal';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * What the loop trains: a tfjs layers model or any raw-variable model that maps a batch to
 * logits. Raw-variable models implement this directly.
 */
export interface Trainable {
  /** Logits for a batch; `training` turns on dropout and batch statistics. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor;
  /** Variables the optimizer updates (frozen layers excluded). */
  trainableVariables(): tf.Variable[];
  /**
   * Every variable whose value defines the model (incl. BatchNorm moving stats), for best-weight
   * restore and checkpoints, in an order that freezing a layer does not change.
   */
  allVariables(): tf.Variable[];
  /** `'flat'` ([n, 784]) or `'image'` ([n, 28, 28, 1]) inputs. */
  layout: 'flat' | 'image';
  /** The layers model, when there is one (for saving). */
  layersModel?: tfl.LayersModel;
  /** Makes the model's dropout draw from this run's stream (models without dropout need not implement it). */
  setDropoutStream?(stream: DropoutStream): void;
  /**
   * Penalties the training loss adds, each a scalar computed from the current weights (a layers
   * model's kernel and bias regularizers, as tfjs-layers' `model.fit` adds `calculateLosses()`).
   * Called inside the gradient tape. Default none.
   */
  regularizationLosses?(): tf.Scalar[];
}

export function isLayersModel(m: unknown): m is tfl.LayersModel {
  return typeof m === 'object' && m !== null && 'layers' in m && typeof (m as tfl.LayersModel).apply === 'function';
}

/** Each variable once, in order: a layer used twice lists its weights twice in tfjs' `model.weights`. */
function uniqueVariables(weights: readonly tfl.LayerVariable[]): tf.Variable[] {
  return [...new Set(weights.map((w) => w.read() as tf.Variable))];
}

/** Every leaf layer of a model once, in order, nested models walked (their weights and penalties are the leaves'). */
function leafLayers(layers: readonly tfl.layers.Layer[], seen = new Set<tfl.layers.Layer>()): tfl.layers.Layer[] {
  for (const layer of layers) {
    const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
    if (Array.isArray(nested)) leafLayers(nested, seen);
    else seen.add(layer);
  }
  return [...seen];
}

/** tfjs' `model.weights` order, in which checkpoints before `variableOrder: 'layers'` were saved. */
export function legacyVariableOrder(model: Trainable): tf.Variable[] {
  return model.layersModel ? uniqueVariables(model.layersModel.weights) : model.allVariables();
}

/** The activation the model's single output ends with, when it turns scores into probabilities. */
function outputProbabilities(model: tfl.LayersModel): 'softmax' | 'sigmoid' | undefined {
  if (model.outputs.length !== 1) return undefined;
  const layer = model.outputs[0].sourceLayer as unknown as { activation?: { getClassName(): string }; name: string };
  // A Softmax layer (tf.layers.softmax) has no `activation`: its class says it.
  const name = (layer as unknown as tfl.layers.Layer).getClassName() === 'Softmax' ? 'softmax' : layer.activation?.getClassName();
  const units = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  if (name === 'softmax') return 'softmax';
  if (name === 'sigmoid' && units === 1) return 'sigmoid';
  return undefined;
}

// Keras' epsilon: probabilities are clipped to [eps, 1 - eps] before their log.
const EPSILON = 1e-7;

/**
 * Scores whose softmax (sigmoid) gives back the model's probabilities: log p (log-odds). Our
 * losses take logits, so a model that ends in softmax trains on its probabilities as Keras'
 * `from_logits=False` losses do, instead of being softmaxed twice; arg-max predictions are unchanged.
 */
function scoresFromProbabilities(p: tf.Tensor, kind: 'softmax' | 'sigmoid'): tf.Tensor {
  return tf.tidy(() => {
    const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    return kind === 'softmax' ? tf.log(clipped) : tf.sub(tf.log(clipped), tf.log1p(tf.neg(clipped)));
  });
}

// The forward `fromLayersModel` gave each wrapper: only a wrapper that still runs it may train with the fused step.
const plainForwards = new WeakMap<Trainable, Trainable['forward']>();

/** Whether `model` is `fromLayersModel`'s own wrapper, with its own forward (which the fused step computes identically). */
export function runsLayersModelAsIs(model: Trainable): boolean {
  const forward = plainForwards.get(model);
  return forward !== undefined && forward === model.forward;
}

/**
 * Wraps a tfjs layers model as a Trainable. Its variables are listed once each (a layer used twice
 * is updated once per step, as tfjs' `model.fit` does); its kernel and bias regularizers are added
 * to the training loss; a model whose output applies softmax (or a one-unit sigmoid) trains on its
 * probabilities as Keras' `from_logits=False` losses do; a frozen BatchNormalization runs in
 * inference mode, as in Keras.
 */
export function fromLayersModel(model: tfl.LayersModel): Trainable {
  const rank = model.inputs[0].shape.length;
  const probabilities = outputProbabilities(model);
  // A batch norm frozen by hand (`layer.trainable = false`) runs in inference mode, as in Keras.
  followKerasFrozenBatchNorms(model);
  const trainable: Trainable = {
    layout: rank === 2 ? 'flat' : 'image',
    layersModel: model,
    forward: (x, training) => {
      const y = model.apply(x, { training }) as tf.Tensor;
      if (!probabilities) return y;
      const scores = scoresFromProbabilities(y, probabilities);
      y.dispose();
      return scores;
    },
    trainableVariables: () => uniqueVariables(model.trainableWeights),
    // Layer by layer: tfjs' `model.weights` lists every trainable weight first, so its order changes
    // when a layer is frozen or unfrozen; checkpoints, best weights and averages keep this one.
    allVariables: () => uniqueVariables(leafLayers(model.layers).flatMap((l) => l.weights)),
    setDropoutStream: (stream) => {
      setDropoutStream(model, stream);
    },
    // Every layer's penalties, nested models' too (a nested model's own calculateLosses misses them).
    regularizationLosses: () => leafLayers(model.layers).flatMap((l) => l.calculateLosses() as tf.Scalar[]),
  };
  plainForwards.set(trainable, trainable.forward);
  return trainable;
}

export function toTrainable(model: tfl.LayersModel | Trainable): Trainable {
  return isLayersModel(model) ? fromLayersModel(model) : model;
}

/** A copy of every variable's value (caller disposes). */
export function snapshotWeights(model: Trainable): tf.Tensor[] {
  return model.allVariables().map((v) => tf.clone(v));
}

export function restoreWeights(model: Trainable, values: readonly tf.Tensor[]): void {
  model.allVariables().forEach((v, i) => v.assign(values[i]));
}
