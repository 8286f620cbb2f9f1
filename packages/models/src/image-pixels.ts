import type { RawImage } from '@fmnist/data';
import { ModelError } from './model-error';
import type { ModelInput } from './model-metadata';
import { pilResize } from './pil-resize';

/**
 * Whether to invert an image (`255 - v`) before classifying it: `'auto'` inverts an image whose
 * border (its outermost rows and columns once resized) is light on average (mean above 127.5), as a
 * photo on a white background is; `true` and `false` force it.
 */
export type Invert = 'auto' | boolean;

/** ITU-R BT.601 luma in Pillow's fixed point (`convert('L')`, torchvision's `Grayscale`): `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`. */
function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/** A sample composited over white by its alpha (0 transparent, 255 opaque), rounded. */
function overWhite(v: number, alpha: number): number {
  return Math.floor((v * alpha + 255 * (255 - alpha) + 127) / 255);
}

/** The image as `channels` (1 grey or 3 RGB) 8-bit samples per pixel, transparency composited over white. */
function toChannels(image: RawImage, channels: number, what: string): Uint8Array {
  const { width, height, data } = image;
  const pixels = width * height;
  const src = image.channels;
  if (channels !== 1 && channels !== 3) throw new ModelError(`${what}: the model takes ${channels} channels: an image can be prepared for 1 (grey) or 3 (RGB)`);
  const out = new Uint8Array(pixels * channels);
  for (let i = 0; i < pixels; i++) {
    const p = i * src;
    const alpha = src === 2 || src === 4 ? data[p + src - 1] : 255;
    let [r, g, b] = src >= 3 ? [data[p], data[p + 1], data[p + 2]] : [data[p], data[p], data[p]];
    if (alpha !== 255) [r, g, b] = [overWhite(r, alpha), overWhite(g, alpha), overWhite(b, alpha)];
    if (channels === 1) out[i] = src >= 3 ? luma(r, g, b) : r;
    else out.set([r, g, b], i * 3);
  }
  return out;
}

/** Whether an image's border (outermost rows and columns, all channels) is light on average. */
function lightBorder(data: Uint8Array, height: number, width: number, channels: number): boolean {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y !== 0 && y !== height - 1 && x !== 0 && x !== width - 1) continue;
      for (let c = 0; c < channels; c++) sum += data[(y * width + x) * channels + c];
      n += channels;
    }
  }
  return sum / n > 127.5;
}

/**
 * An image of any size prepared as Fashion-MNIST's: transparency composited over white, converted
 * to the model's channels (grey is ITU-R BT.601 luma as Pillow's `convert('L')` and torchvision's
 * `Grayscale` compute it), resized to the model's height x width as torchvision's `Resize` does on
 * a PIL image (Pillow's antialiased bilinear, `pilResize`; a non-square image is stretched),
 * inverted per `invert` (Fashion-MNIST garments are light on black), then scaled to [0, 1].
 */
export function imagePixels(
  image: RawImage,
  input: Pick<ModelInput, 'height' | 'width' | 'channels'>,
  invert: Invert,
  what = 'input',
): { pixels: Float32Array; inverted: boolean } {
  const { height, width, channels } = input;
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new ModelError(
      `${what}: a ${image.width}x${image.height} image of ${image.channels} channel(s) has ${image.width * image.height * image.channels} samples, got ${image.data.length}`,
    );
  }
  const samples = pilResize(toChannels(image, channels, what), image.height, image.width, channels, height, width);
  const inverted = invert === 'auto' ? lightBorder(samples, height, width, channels) : invert;
  const pixels = new Float32Array(samples.length);
  for (let k = 0; k < samples.length; k++) pixels[k] = (inverted ? 255 - samples[k] : samples[k]) * (1 / 255);
  return { pixels, inverted };
}
