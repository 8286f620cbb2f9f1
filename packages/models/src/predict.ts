import { FASHION_MNIST_CLASSES, type ImageDataset, imageFormat, otherImageFormat, type RawImage } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { endsInSoftmax } from './ends-in-softmax';
import { type Invert, imagePixels } from './image-pixels';
import { inputLoader } from './input-loader';
import { ModelError } from './model-error';
import { inputBatch, modelInput } from './model-input';
import { getModelMetadata, type ModelInput } from './model-metadata';

/**
 * What `predict` classifies:
 * - `Float32Array`: [0, 1] pixels, height x width x channels per image (the model's), one or more images;
 * - `Uint8Array`: 0..255 pixels, likewise (bytes in a PNG or JPEG are decoded by the Node entry's `predict`);
 * - `ImageDataset`: its images, resized to the model's size when they are another;
 * - `RawImage` (or an array of them): decoded images of any size, grey, RGB or with alpha, prepared
 *   as Fashion-MNIST's images (see `PredictOptions.invert`).
 */
export type PredictInput = Float32Array | Uint8Array | ImageDataset | RawImage | readonly RawImage[];

export interface PredictOptions {
  /** How many of the most probable classes `top` lists per image (at most the number of classes). Default 3. */
  topK?: number;
  /**
   * Whether to invert images (`255 - v`) before classifying them: Fashion-MNIST garments are light on
   * a black background, photos usually dark on a light one. `'auto'` (default) inverts a decoded
   * image (`RawImage`, a file) whose border is light on average once resized; pixels and datasets
   * are taken as they are. `true` / `false` force it for every input.
   */
  invert?: Invert;
  /** Images per batch. Default 500. */
  batchSize?: number;
  /**
   * How to prepare the pixels. Default the model's own (`modelInput(model)`): the convention it
   * was saved or fitted with (a model from `saveModel`/`fit`/`fmnist train` needs nothing here),
   * else [0, 1] pixels in its input shape's layout. Give it for a plain tfjs model trained on
   * normalised pixels, e.g. `{ layout: 'image', height: 28, width: 28, channels: 1, normalize: { mean: 0.286, std: 0.353 } }`.
   */
  input?: ModelInput;
  /** Class names in label order for `top`. Default the model's own (saved or fitted with it), else Fashion-MNIST's for 10 classes, else the class indices. */
  classNames?: readonly string[];
}

/** One class and its probability. */
export interface ClassProbability {
  /** The class's index among the model's outputs. */
  index: number;
  className: string;
  probability: number;
}

export interface Predictions {
  /** The most probable class of each image, in order. */
  indices: number[];
  /** Each image's class probabilities (the softmax of its logits; the model's outputs when its last layer applies softmax). */
  probabilities: Float32Array[];
  /** Each image's `topK` most probable classes, most probable first (ties: lower index first). */
  top: ClassProbability[][];
  /** Whether each image was inverted before classification (see `PredictOptions.invert`). */
  inverted: boolean[];
  /** The model's class names, when it carries them (saved with it, or recorded by `fit`) or they were given. */
  classNames?: string[];
}

function isRawImage(value: unknown): value is RawImage {
  return (
    typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && 'data' in value && 'width' in value && 'height' in value && 'channels' in value
  );
}

function isDataset(value: unknown): value is ImageDataset {
  return typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && 'images' in value && 'labels' in value;
}

/** Pixels of whole images, or one line naming what was expected. */
function checkPixels(values: Float32Array | Uint8Array, input: ModelInput): number {
  const size = input.height * input.width * input.channels;
  const shape = `${input.height} x ${input.width} x ${input.channels} = ${size} values`;
  if (values instanceof Uint8Array) {
    const format = imageFormat(values) ?? otherImageFormat(values);
    if (format) {
      throw new ModelError(
        `input: ${format.toUpperCase()} bytes: decode them first (the Node entry's predict reads PNG and JPEG files and bytes; in a browser, pass the canvas's pixels as a RawImage)`,
      );
    }
    if (values.length === 0 || values.length % size !== 0) {
      throw new ModelError(`input: expected PNG or JPEG bytes, or 0..255 pixels (a multiple of ${shape}), got ${values.length} bytes in no known image format`);
    }
  } else if (values.length === 0 || values.length % size !== 0) {
    throw new ModelError(`input: expected [0, 1] pixels, a multiple of ${shape}, got ${values.length}`);
  }
  return values.length / size;
}

/** [0, 1] pixels from raw pixels, inverted when asked. */
function unitPixels(values: Float32Array | Uint8Array, invert: boolean): Float32Array {
  if (values instanceof Float32Array) return invert ? values.map((v) => 1 - v) : values;
  return Float32Array.from(values, (v) => (invert ? 255 - v : v) * (1 / 255));
}

/** Each image's classes ranked by probability, the first `k`. */
function ranked(probabilities: Float32Array, k: number, names: readonly string[] | undefined): ClassProbability[] {
  return Array.from(probabilities, (probability, index) => ({ index, className: names?.[index] ?? String(index), probability }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}

/**
 * Classifies images in one call: per image, its most probable class, all class probabilities and
 * the `topK` classes with their names. Images are prepared as the model wants them (its own input
 * convention unless `options.input` says otherwise): raw pixels as they are, a dataset resized to
 * the model's size, decoded images of any size (`RawImage`) converted to grey (BT.601 luma), resized
 * (antialiased bilinear, as torchvision's `Resize` on PIL images) and inverted when their background
 * is light (`options.invert`). The Node entry's `predict` also takes image files (paths or bytes,
 * PNG or JPEG).
 *
 * @example
 * const { top } = await predict(model, pixels, { topK: 3 });
 * console.log(top[0]); // [{ index: 0, className: 'T-shirt/top', probability: 0.91 }, ...]
 */
export async function predict(model: tfl.LayersModel, input: PredictInput, options: PredictOptions = {}): Promise<Predictions> {
  const convention = options.input ?? modelInput(model);
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ModelError(`batchSize: expected a positive integer, got ${batchSize}`);
  const topK = options.topK ?? 3;
  if (!Number.isInteger(topK) || topK < 1) throw new ModelError(`topK: expected a positive integer, got ${topK}`);
  const invert = options.invert ?? 'auto';
  if (invert !== 'auto' && typeof invert !== 'boolean') throw new ModelError(`invert: expected 'auto', true or false, got ${String(invert)}`);
  const softmax = !endsInSoftmax(model);
  const indices: number[] = [];
  const probabilities: Float32Array[] = [];
  // Read asynchronously: WebGPU in Node cannot read a GPU tensor synchronously.
  const score = async (x: tf.Tensor) => {
    const [probs, best] = tf.tidy(() => {
      const out = model.predict(x) as tf.Tensor;
      if (out.rank !== 2) throw new ModelError(`predict: the model outputs [${out.shape.join(', ')}] per batch: expected [n, classes] scores`);
      const p = softmax ? tf.softmax(out) : out;
      return [p, tf.argMax(p, -1)];
    });
    const classes = probs.shape[1] as number;
    const [values, top] = await Promise.all([probs.data() as Promise<Float32Array>, best.data()]).finally(() => tf.dispose([probs, best]));
    for (let i = 0; i < top.length; i++) {
      indices.push(top[i]);
      probabilities.push(values.slice(i * classes, (i + 1) * classes));
    }
  };
  const scorePixels = async (pixels: Float32Array, count: number) => {
    const size = pixels.length / count;
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const x = inputBatch(pixels.subarray(start * size, (start + n) * size), n, convention);
      try {
        await score(x);
      } finally {
        x.dispose();
      }
    }
  };
  let inverted: boolean[];
  if (input instanceof Float32Array || input instanceof Uint8Array) {
    const count = checkPixels(input, convention);
    await scorePixels(unitPixels(input, invert === true), count);
    inverted = new Array<boolean>(count).fill(invert === true);
  } else if (isDataset(input)) {
    const dataset = invert === true ? { ...input, images: input.images.map((v) => 255 - v) } : input;
    for await (const { xs, ys } of inputLoader(dataset, convention, { batchSize, labels: 'index' }).iterate(0)) {
      try {
        await score(xs);
      } finally {
        tf.dispose([xs, ys]);
      }
    }
    inverted = new Array<boolean>(input.count).fill(invert === true);
  } else {
    const images = isRawImage(input) ? [input] : input;
    if (images.length === 0) throw new ModelError('input: expected at least one image, got an empty array');
    const prepared = images.map((image, i) => {
      if (!isRawImage(image)) throw new ModelError(`input[${i}]: expected a decoded image { width, height, channels, data }`);
      return imagePixels(image, convention, invert, images.length === 1 && isRawImage(input) ? 'input' : `input[${i}]`);
    });
    const size = prepared[0].pixels.length;
    const pixels = new Float32Array(size * prepared.length);
    prepared.forEach((p, i) => pixels.set(p.pixels, i * size));
    await scorePixels(pixels, prepared.length);
    inverted = prepared.map((p) => p.inverted);
  }
  const carried = getModelMetadata(model)?.classes;
  const given = options.classNames ?? carried;
  const classes = probabilities[0]?.length ?? 0;
  const names = given ?? (classes === FASHION_MNIST_CLASSES.length ? FASHION_MNIST_CLASSES : undefined);
  const top = probabilities.map((p) => ranked(p, topK, names));
  return { indices, probabilities, top, inverted, ...(given ? { classNames: [...given] } : {}) };
}
