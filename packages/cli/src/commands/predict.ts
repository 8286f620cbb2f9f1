import { readFileSync } from 'node:fs';
import { DataError, decodePng, FASHION_MNIST_CLASSES, parseIdx, toGreyscale } from '@fmnist/data';
import { loadModel, modelInput, predict } from '@fmnist/models';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { int, str } from '../options';
import { UsageError } from '../usage-error';

/** Images from a PNG (made to look like the training data) or an IDX images file, as bytes. */
function readImages(file: string, size: [number, number], limit: number): { pixels: Uint8Array[]; inverted: boolean } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new DataError(file, 'cannot read file');
  }
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const grey = toGreyscale(decodePng(bytes, file), size);
    // Fashion-MNIST garments are light on black: photos on a light background get inverted.
    const border = [...grey.subarray(0, size[1]), ...grey.subarray(grey.length - size[1])];
    const inverted = border.reduce((a, b) => a + b, 0) / border.length > 127;
    return { pixels: [inverted ? grey.map((v) => 255 - v) : grey], inverted };
  }
  const arr = parseIdx(bytes, { source: file });
  if (arr.dtype !== 'uint8' || arr.shape.length !== 3)
    throw new DataError(file, `expected a PNG or a uint8 IDX images file [n, h, w], found ${arr.dtype} [${arr.shape.join(', ')}]`);
  const [n, h, w] = arr.shape;
  if (h !== size[0] || w !== size[1]) throw new DataError(file, `images are ${h}x${w}, the model takes ${size[0]}x${size[1]}`);
  return { pixels: Array.from({ length: Math.min(n, limit) }, (_, i) => (arr.data as Uint8Array).subarray(i * h * w, (i + 1) * h * w)), inverted: false };
}

export const predictCommand: Command = {
  path: ['predict'],
  summary: 'Classify a PNG or IDX images file with a saved model; prints top-k with class names',
  args: [{ name: 'FILE', description: 'an image (PNG) or an IDX images file (FILE-idx3-ubyte[.gz])' }],
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
    const { pixels, inverted } = readImages(positionals[0], [input.height, input.width], int(values, 'limit', 10, 1, 10_000));
    // Prepared as the model wants its inputs (its saved convention), as predict(model, images) does in a program.
    const size = input.height * input.width;
    const images = new Uint8Array(pixels.length * size);
    pixels.forEach((img, i) => images.set(img, i * size));
    const dataset = {
      images,
      labels: new Uint8Array(pixels.length),
      count: pixels.length,
      height: input.height,
      width: input.width,
      channels: 1,
      classNames: classes,
    };
    const predicted = await predict(model, dataset, { input });
    const results = predicted.probabilities.map((probs, index) => {
      const ranked = Array.from(probs)
        .map((p, c) => ({ class: classes[c] ?? String(c), index: c, probability: p }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, top);
      return { index, top: ranked };
    });
    if (json) io.stdout(JSON.stringify({ file: positionals[0], inverted, predictions: results }));
    else {
      if (inverted) io.stdout('(light background detected: colours inverted to match the training data)');
      for (const r of results) io.stdout(`#${r.index}: ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(1)}%`).join(', ')}`);
    }
  },
};
