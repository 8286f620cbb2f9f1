import { FASHION_MNIST_CLASSES } from '@fmnist/data';
import { inputBatch, type ModelInput } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface ClassScore {
  label: string;
  probability: number;
}

/** Top-k classes for one image of [0, 1] floats (white garment on black, as in the dataset). */
export function topK(model: tfl.LayersModel, input: ModelInput, pixels: Float32Array, k = 3): ClassScore[] {
  const probs = tf.tidy(() => tf.softmax(model.predict(inputBatch(pixels, 1, input)) as tf.Tensor).dataSync());
  return Array.from(probs, (probability, i) => ({ label: FASHION_MNIST_CLASSES[i] ?? String(i), probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
