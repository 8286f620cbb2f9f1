import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelInput, ModelMetadata } from './model-metadata';
import { ModelError } from './model-error';

/**
 * The input convention, defined once: a model's saved metadata says how it wants its pixels;
 * without metadata, its input shape says the layout ([n, h*w] flat or [n, h, w, c] image, 28x28
 * unless the shape says otherwise) and pixels are [0, 1].
 */
export function modelInput(model: tfl.LayersModel, metadata?: ModelMetadata): ModelInput {
  if (metadata?.input) return metadata.input;
  const shape = model.inputs[0].shape;
  if (shape.length === 2) {
    const side = Math.round(Math.sqrt(shape[1] ?? 784));
    return { layout: 'flat', height: side, width: side, channels: 1, normalize: 'unit' };
  }
  return { layout: 'image', height: shape[1] ?? 28, width: shape[2] ?? 28, channels: shape[3] ?? 1, normalize: 'unit' };
}

/** A batch for `model.predict` from `count` images of [0, 1] pixels (height x width x channels each), normalised as `input` says. */
export function inputBatch(pixels: Float32Array, count: number, input: ModelInput): tf.Tensor {
  return tf.tidy(() => {
    const size = input.height * input.width * input.channels;
    if (pixels.length !== count * size) throw new ModelError(`inputBatch: expected ${count} x ${size} pixels, got ${pixels.length}`);
    let x: tf.Tensor = tf.tensor(pixels, input.layout === 'flat' ? [count, size] : [count, input.height, input.width, input.channels], 'float32');
    if (input.normalize !== 'unit') x = tf.div(tf.sub(x, input.normalize.mean), input.normalize.std);
    return x;
  });
}
