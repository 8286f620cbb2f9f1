import { crc32, deflateSync } from 'node:zlib';
import { DataError } from './data-error';
import { decodeImage } from './decode-image';
import { imageFormat } from './image-format';
import type { RawImage } from './raw-image';

export type { RawImage } from './raw-image';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOR_TYPES: Record<number, 1 | 2 | 3 | 4> = { 0: 1, 4: 2, 2: 3, 6: 4 };

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(Buffer.from(type, 'ascii'), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** Encodes an 8-bit image as PNG (no filtering; deflate does the work). */
export function encodePng(image: RawImage): Uint8Array {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) throw new DataError('encodePng', `expected ${width * height * channels} bytes, got ${data.length}`);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = Number(Object.keys(COLOR_TYPES).find((k) => COLOR_TYPES[Number(k)] === channels));
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  return Buffer.concat(parts);
}

/**
 * Decodes a PNG of any kind to 8-bit samples (`decodeImage`, which reads it with fast-png); any
 * other bytes are refused naming `source`.
 */
export function decodePng(bytes: Uint8Array, source = '<png>'): RawImage {
  if (imageFormat(bytes) !== 'png') throw new DataError(source, 'not a PNG file (bad signature)');
  return decodeImage(bytes, source);
}
