import { FASHION_MNIST_CLASSES } from '@fmnist/data';
import type { ModelMetadata } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface InputSpec {
  layout: 'flat' | 'image';
  normalize: 'unit' | { mean: number; std: number };
}

/** How a model wants its pixels: from its saved metadata, else from its input shape with [0, 1] pixels. */
export function inputSpec(model: tfl.LayersModel, metadata?: ModelMetadata): InputSpec {
  if (metadata?.input) return { layout: metadata.input.layout, normalize: metadata.input.normalize };
  return { layout: model.inputs[0].shape.length === 2 ? 'flat' : 'image', normalize: 'unit' };
}

export interface ClassScore {
  label: string;
  probability: number;
}

/** Top-k classes for one 28x28 image of [0, 1] floats (white garment on black, as in the dataset). */
export function topK(model: tfl.LayersModel, spec: InputSpec, pixels: Float32Array, k = 3): ClassScore[] {
  const probs = tf.tidy(() => {
    let x = tf.tensor(pixels, spec.layout === 'flat' ? [1, 784] : [1, 28, 28, 1]);
    if (spec.normalize !== 'unit') x = tf.div(tf.sub(x, spec.normalize.mean), spec.normalize.std);
    return tf.softmax(model.predict(x) as tf.Tensor).dataSync();
  });
  return Array.from(probs, (probability, i) => ({ label: FASHION_MNIST_CLASSES[i] ?? String(i), probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
