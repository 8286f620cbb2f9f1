import { decode as decodePngFile } from 'fast-png';
import { decode as decodeJpegFile } from 'jpeg-js';
import { DataError } from './data-error';
import { imageFormat, otherImageFormat } from './image-format';
import type { RawImage } from './raw-image';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Unpacks rows of 1, 2 or 4-bit samples (each row padded to a byte) to one sample per element. */
function unpackBits(data: ArrayLike<number>, width: number, height: number, channels: number, depth: number): Uint8Array {
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * perRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/**
 * A PNG of any kind (grey, grey+alpha, RGB, RGBA, palette; 1 to 16 bits; interlaced or not) as
 * 8-bit samples: 16-bit samples keep their high byte (as Pillow reads 16-bit RGB), 1/2/4-bit grey
 * is scaled to 0..255, palettes are expanded (to RGBA when tRNS gives alpha), and a tRNS colour key
 * becomes an alpha channel.
 */
function decodePngImage(bytes: Uint8Array, source: string): RawImage {
  let png: ReturnType<typeof decodePngFile>;
  try {
    png = decodePngFile(bytes);
  } catch (error) {
    throw new DataError(source, `cannot decode the PNG: ${message(error)}`);
  }
  const { width, height, depth, palette } = png;
  const pixels = width * height;
  if (palette) {
    const channels = palette[0]?.length === 4 ? 4 : 3;
    const indices = depth < 8 ? unpackBits(png.data, width, height, 1, depth) : png.data;
    const data = new Uint8Array(pixels * channels);
    for (let i = 0; i < pixels; i++) {
      const color = palette[indices[i]];
      if (!color) throw new DataError(source, `PNG pixel ${i} uses palette entry ${indices[i]}, the palette has ${palette.length}`);
      for (let c = 0; c < channels; c++) data[i * channels + c] = color[c] ?? 255;
    }
    return { width, height, channels, data };
  }
  const channels = png.channels;
  if (channels < 1 || channels > 4) throw new DataError(source, `PNG with ${channels} channels: expected 1 to 4`);
  const samples = depth < 8 ? unpackBits(png.data, width, height, channels, depth) : png.data;
  const to8 = depth === 16 ? (v: number) => v >> 8 : depth < 8 ? (v: number) => Math.round((v * 255) / ((1 << depth) - 1)) : (v: number) => v;
  // A tRNS colour key (grey or RGB without alpha): pixels of exactly that colour are transparent.
  const key = png.transparency && (channels === 1 || channels === 3) && png.transparency.length === channels ? png.transparency : undefined;
  const outChannels = (key ? channels + 1 : channels) as RawImage['channels'];
  const data = new Uint8Array(pixels * outChannels);
  for (let i = 0; i < pixels; i++) {
    let keyed = key !== undefined;
    for (let c = 0; c < channels; c++) {
      const v = samples[i * channels + c];
      if (key && v !== key[c]) keyed = false;
      data[i * outChannels + c] = to8(v);
    }
    if (key) data[i * outChannels + channels] = keyed ? 0 : 255;
  }
  return { width, height, channels: outChannels, data };
}

function decodeJpegImage(bytes: Uint8Array, source: string): RawImage {
  try {
    const { width, height, data } = decodeJpegFile(bytes, { useTArray: true, formatAsRGBA: false });
    return { width, height, channels: 3, data };
  } catch (error) {
    throw new DataError(source, `cannot decode the JPEG: ${message(error)}`);
  }
}

/**
 * Decodes a PNG (with fast-png) or a JPEG (with jpeg-js) to 8-bit samples, as the file has them
 * (grey, grey+alpha, RGB or RGBA; a JPEG is RGB). Anything else is refused in one line naming
 * `source` and the format found.
 */
export function decodeImage(bytes: Uint8Array, source = 'image'): RawImage {
  const format = imageFormat(bytes);
  if (format === 'png') return decodePngImage(bytes, source);
  if (format === 'jpeg') return decodeJpegImage(bytes, source);
  const other = otherImageFormat(bytes);
  throw new DataError(source, other ? `a ${other} image: expected a PNG or a JPEG` : 'not a PNG or a JPEG (unknown format)');
}
