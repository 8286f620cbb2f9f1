// The Node entry's predict: the browser entry's, plus image files (paths, or PNG / JPEG bytes).
import { readFile } from 'node:fs/promises';
import { decodeImage, imageFormat, type RawImage } from '@fmnist/data';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './model-error';
import { type PredictInput, type PredictOptions, type Predictions, predict as predictDecoded } from './predict';

/**
 * What the Node entry's `predict` classifies: all that the browser entry's takes (pixels, an
 * `ImageDataset`, decoded images), plus image files: a path, PNG or JPEG bytes (a `Buffer` or
 * `Uint8Array` that starts with the format's signature), or an array of them.
 */
export type PredictFileInput = PredictInput | string | readonly (string | Uint8Array | RawImage)[];

async function readImage(path: string, what: string): Promise<RawImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ModelError(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return decodeImage(bytes, path);
}

/** A path, or bytes in an image format (not raw pixels). */
function isFile(item: unknown): item is string | Uint8Array {
  return typeof item === 'string' || (item instanceof Uint8Array && imageFormat(item) !== undefined);
}

async function decodeFile(item: string | Uint8Array, what: string): Promise<RawImage> {
  return typeof item === 'string' ? readImage(item, what) : decodeImage(item, what);
}

function isList(input: PredictFileInput): input is readonly (string | Uint8Array | RawImage)[] {
  return Array.isArray(input);
}

/** The input with its files decoded: what the browser entry's predict takes. */
async function decodedInput(input: PredictFileInput): Promise<PredictInput> {
  if (isFile(input)) return decodeFile(input, 'input');
  if (typeof input === 'string') return input;
  if (!isList(input)) return input;
  const images: RawImage[] = [];
  for (const [i, item] of input.entries()) {
    if (isFile(item)) images.push(await decodeFile(item, `input[${i}]`));
    else if (item instanceof Uint8Array)
      throw new ModelError(`input[${i}]: expected a file path, PNG or JPEG bytes, or a decoded image; got ${item.length} bytes in no known image format`);
    else images.push(item);
  }
  return images;
}

/**
 * Classifies images in one call (see the browser entry's `predict` for what it returns and how it
 * prepares images), here also image files of any size: a path or PNG / JPEG bytes, or an array of
 * them. Files are decoded with fast-png (PNG: grey, RGB, alpha, palette; 1 to 16 bits) and jpeg-js,
 * converted to grey (ITU-R BT.601 luma, as Pillow's `convert('L')`), resized to the model's size
 * (antialiased bilinear, as torchvision's `Resize` on PIL images; a non-square image is stretched),
 * and inverted when their border is light (`invert: 'auto'`), so a photo of a garment on a white
 * background looks like Fashion-MNIST's light garments on black.
 *
 * @example
 * const { model } = await loadModel('out/model');
 * const { top } = await predict(model, 'shirt.jpg', { topK: 3 });
 * console.log(top[0][0].className, top[0][0].probability); // 'Shirt' 0.87
 */
export async function predict(model: tfl.LayersModel, input: PredictFileInput, options: PredictOptions = {}): Promise<Predictions> {
  return predictDecoded(model, await decodedInput(input), options);
}
