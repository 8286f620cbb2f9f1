import type { Normalization } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { getModelMetadata, type ModelInput, type ModelMetadata } from './model-metadata';
import { ModelError } from './model-error';

/**
 * The input convention, defined once: the metadata given, else the one the model carries (loaded
 * with it by `loadModel`, recorded by `fit`), says how it wants its pixels; a model without any
 * (an ordinary tfjs-layers model) gets its layout from its input shape ([n, h*w] flat or
 * [n, h, w, c] image, 28x28 unless the shape says otherwise) and [0, 1] pixels.
 */
export function modelInput(model: tfl.LayersModel, metadata?: Partial<ModelMetadata>): ModelInput {
  const known = metadata?.input ?? getModelMetadata(model)?.input;
  if (known) return known;
  const shape = model.inputs[0].shape;
  if (shape.length === 2) {
    const side = Math.round(Math.sqrt(shape[1] ?? 784));
    return { layout: 'flat', height: side, width: side, channels: 1, normalize: 'unit' };
  }
  return { layout: 'image', height: shape[1] ?? 28, width: shape[2] ?? 28, channels: shape[3] ?? 1, normalize: 'unit' };
}

/**
 * A DataLoader's normalisation as a model input's: `'none'` (0..255) is `{ mean: 0, std: 1 / 255 }`
 * of [0, 1] pixels.
 */
export function inputNormalization(normalize: Normalization): ModelInput['normalize'] {
  return normalize === 'none' ? { mean: 0, std: 1 / 255 } : normalize;
}

/** Whether two normalisations (a loader's or a model input's) prepare pixels alike (`'unit'` is mean 0, std 1). */
export function sameNormalization(a: Normalization, b: Normalization): boolean {
  const [x, y] = [a, b].map((n) => {
    const v = inputNormalization(n);
    return v === 'unit' ? { mean: 0, std: 1 } : v;
  });
  return x.mean === y.mean && x.std === y.std;
}

/**
 * Refuses a convention that cannot prepare images by itself (its `preprocessing` lists steps of
 * the training transform it cannot express), in one line naming them.
 */
export function checkPreparable(input: ModelInput, what: string): void {
  if (input.preprocessing && input.preprocessing.length > 0) {
    throw new ModelError(
      `${what}: the model was trained on inputs prepared with ${input.preprocessing.join(', ')}, which its input convention cannot express; evaluate it on a DataLoader that applies them`,
    );
  }
}

/**
 * A batch for `model.predict` from `count` images of [0, 1] pixels (height x width x channels each),
 * normalised as `input` says, with a DataLoader's arithmetic (`(pixel - mean) * (1 / std)`), so a
 * batch made here from a loader's pixels is the loader's batch.
 */
export function inputBatch(pixels: Float32Array, count: number, input: ModelInput): tf.Tensor {
  checkPreparable(input, 'images');
  const size = input.height * input.width * input.channels;
  if (pixels.length !== count * size) throw new ModelError(`inputBatch: expected ${count} x ${size} pixels, got ${pixels.length}`);
  let values = pixels;
  if (input.normalize !== 'unit') {
    const { mean, std } = input.normalize;
    const inv = 1 / std;
    values = new Float32Array(pixels.length);
    for (let k = 0; k < pixels.length; k++) values[k] = (pixels[k] - mean) * inv;
  }
  return tf.tensor(values, input.layout === 'flat' ? [count, size] : [count, input.height, input.width, input.channels], 'float32');
}
