import * as tf from '@tensorflow/tfjs-core';
import { type DropoutStream, setDropoutStream } from '@fmnist/models/internal';
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
  /** Every variable whose value defines the model (incl. BatchNorm moving stats), for best-weight restore. */
  allVariables(): tf.Variable[];
  /** `'flat'` ([n, 784]) or `'image'` ([n, 28, 28, 1]) inputs. */
  layout: 'flat' | 'image';
  /** The layers model, when there is one (for saving). */
  layersModel?: tfl.LayersModel;
  /** Makes the model's dropout draw from this run's stream (models without dropout need not implement it). */
  setDropoutStream?(stream: DropoutStream): void;
}

export function isLayersModel(m: unknown): m is tfl.LayersModel {
  return typeof m === 'object' && m !== null && 'layers' in m && typeof (m as tfl.LayersModel).apply === 'function';
}

/** Wraps a tfjs layers model as a Trainable. */
export function fromLayersModel(model: tfl.LayersModel): Trainable {
  const rank = model.inputs[0].shape.length;
  return {
    layout: rank === 2 ? 'flat' : 'image',
    layersModel: model,
    forward: (x, training) => model.apply(x, { training }) as tf.Tensor,
    trainableVariables: () => model.trainableWeights.map((w) => w.read() as tf.Variable),
    allVariables: () => model.weights.map((w) => w.read() as tf.Variable),
    setDropoutStream: (stream) => {
      setDropoutStream(model, stream);
    },
  };
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
