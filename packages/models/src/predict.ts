import type { ImageDataset } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { inputLoader } from './input-loader';
import { ModelError } from './model-error';
import { inputBatch, modelInput } from './model-input';
import { getModelMetadata, type ModelInput } from './model-metadata';

export interface PredictOptions {
  /** Images per batch. Default 500. */
  batchSize?: number;
  /**
   * How to prepare the pixels. Default the model's own (`modelInput(model)`): the convention it
   * was saved or fitted with, else [0, 1] pixels in its input shape's layout.
   */
  input?: ModelInput;
}

export interface Predictions {
  /** The most probable class of each image, in order. */
  indices: number[];
  /** Each image's class probabilities (the softmax of its logits; the model's outputs when its last layer applies softmax). */
  probabilities: Float32Array[];
  /** The model's class names, when it carries them (saved with it, or recorded by `fit`). */
  classNames?: string[];
}

/** Whether the model's single output is already a softmax (then it is not softmaxed again). */
function endsInSoftmax(model: tfl.LayersModel): boolean {
  const layer = model.outputs[0]?.sourceLayer as unknown as { getClassName(): string; activation?: { getClassName(): string } };
  return layer.getClassName() === 'Softmax' || layer.activation?.getClassName() === 'softmax';
}

/**
 * Classifies images with a model, prepared as the model wants them (`options.input`, default its
 * own convention): an ImageDataset (bytes; resized when the model takes another size, as
 * `evaluate` prepares it), or `[0, 1]` pixels, height x width x channels per image, in one
 * Float32Array.
 */
export async function predict(model: tfl.LayersModel, images: ImageDataset | Float32Array, options: PredictOptions = {}): Promise<Predictions> {
  const input = options.input ?? modelInput(model);
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ModelError(`batchSize: expected a positive integer, got ${batchSize}`);
  const softmax = !endsInSoftmax(model);
  const indices: number[] = [];
  const probabilities: Float32Array[] = [];
  const score = (x: tf.Tensor) => {
    const [probs, best] = tf.tidy(() => {
      const out = model.predict(x) as tf.Tensor;
      if (out.rank !== 2) throw new ModelError(`predict: the model outputs [${out.shape.join(', ')}] per batch: expected [n, classes] scores`);
      const p = softmax ? tf.softmax(out) : out;
      return [p, tf.argMax(p, -1)];
    });
    const classes = probs.shape[1] as number;
    const values = probs.dataSync() as Float32Array;
    const top = best.dataSync();
    tf.dispose([probs, best]);
    for (let i = 0; i < top.length; i++) {
      indices.push(top[i]);
      probabilities.push(values.slice(i * classes, (i + 1) * classes));
    }
  };
  if (images instanceof Float32Array) {
    const size = input.height * input.width * input.channels;
    if (images.length === 0 || images.length % size !== 0) {
      throw new ModelError(
        `images: expected [0, 1] pixels, a multiple of ${input.height} x ${input.width} x ${input.channels} = ${size} values, got ${images.length}`,
      );
    }
    for (let start = 0; start < images.length / size; start += batchSize) {
      const count = Math.min(batchSize, images.length / size - start);
      const x = inputBatch(images.subarray(start * size, (start + count) * size), count, input);
      try {
        score(x);
      } finally {
        x.dispose();
      }
    }
  } else {
    for await (const { xs, ys } of inputLoader(images, input, { batchSize, labels: 'index' }).iterate(0)) {
      try {
        score(xs);
      } finally {
        tf.dispose([xs, ys]);
      }
    }
  }
  const classNames = getModelMetadata(model)?.classes;
  return { indices, probabilities, ...(classNames ? { classNames: [...classNames] } : {}) };
}
