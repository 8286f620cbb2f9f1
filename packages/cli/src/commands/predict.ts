import { readFileSync } from 'node:fs';
import { DataError, decodeImage, FASHION_MNIST_CLASSES, type ImageDataset, imageFormat, parseIdx, type RawImage } from '@fmnist/data';
import { loadModel, type ModelInput, modelInput, predict } from '@fmnist/models';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { int, str } from '../options';
import { UsageError } from '../usage-error';

/** An image (PNG or JPEG, decoded; predict prepares it like the training data) or the images of an IDX file, as bytes. */
function readImages(file: string, size: [number, number], limit: number): { image: RawImage } | { pixels: Uint8Array[] } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new DataError(file, 'cannot read file');
  }
  if (imageFormat(bytes)) return { image: decodeImage(bytes, file) };
  const arr = parseIdx(bytes, { source: file });
  if (arr.dtype !== 'uint8' || arr.shape.length !== 3)
    throw new DataError(file, `expected a PNG or a uint8 IDX images file [n, h, w] (or a JPEG), found ${arr.dtype} [${arr.shape.join(', ')}]`);
  const [n, h, w] = arr.shape;
  if (h !== size[0] || w !== size[1]) throw new DataError(file, `images are ${h}x${w}, the model takes ${size[0]}x${size[1]}`);
  return { pixels: Array.from({ length: Math.min(n, limit) }, (_, i) => (arr.data as Uint8Array).subarray(i * h * w, (i + 1) * h * w)) };
}

/** The images of an IDX file as a dataset of the model's size. */
function idxDataset(pixels: Uint8Array[], input: ModelInput, classes: readonly string[]): ImageDataset {
  const size = input.height * input.width;
  const images = new Uint8Array(pixels.length * size);
  pixels.forEach((img, i) => images.set(img, i * size));
  return { images, labels: new Uint8Array(pixels.length), count: pixels.length, height: input.height, width: input.width, channels: 1, classNames: classes };
}

export const predictCommand: Command = {
  path: ['predict'],
  summary: 'Classify an image (PNG, JPEG) or IDX images file with a saved model; prints top-k with class names',
  args: [{ name: 'FILE', description: 'an image (PNG or JPEG, any size) or an IDX images file (FILE-idx3-ubyte[.gz])' }],
  options: {
    'model-dir': { type: 'string', value: 'DIR', description: 'a model saved by fmnist train --out', required: true },
    top: { type: 'string', value: 'K', description: 'classes to print per image, 1 to 10', default: 3 },
    limit: { type: 'string', value: 'N', description: 'images to classify from an IDX file, 1 to 10000', default: 10 },
    backend: BACKEND_OPTION,
  },
  async run({ values, positionals, io, json }) {
    const dir = str(values, 'model-dir');
    if (!dir) throw new UsageError('--model-dir is required');
    const top = int(values, 'top', 3, 1, 10);
    await backendFromFlags(values);
    const { model, metadata } = await loadModel(dir);
    const classes = metadata?.classes ?? [...FASHION_MNIST_CLASSES];
    const input = modelInput(model, metadata);
    const read = readImages(positionals[0], [input.height, input.width], int(values, 'limit', 10, 1, 10_000));
    // Prepared as the model wants its inputs (its saved convention) by the library's predict, as in a program.
    const options = { input, topK: top, classNames: classes };
    const predicted = 'image' in read ? await predict(model, read.image, options) : await predict(model, idxDataset(read.pixels, input, classes), options);
    const inverted = predicted.inverted.some(Boolean);
    const results = predicted.top.map((ranked, index) => ({
      index,
      top: ranked.map((t) => ({ class: t.className, index: t.index, probability: t.probability })),
    }));
    if (json) io.stdout(JSON.stringify({ file: positionals[0], inverted, predictions: results }));
    else {
      if (inverted) io.stdout('(light background detected: colours inverted to match the training data)');
      for (const r of results) io.stdout(`#${r.index}: ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(1)}%`).join(', ')}`);
    }
  },
};
