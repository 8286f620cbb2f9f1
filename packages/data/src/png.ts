import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { DataError } from './data-error';

/** A raw image: 8-bit channels, row-major. channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

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

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB, RGBA; palette images are expanded). */
export function decodePng(bytes: Uint8Array, source = '<png>'): RawImage {
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw new DataError(source, 'not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (body.length !== length) throw new DataError(source, `truncated PNG chunk ${type}`);
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      const depth = body[8];
      colorType = body[9];
      if (depth !== 8) throw new DataError(source, `unsupported PNG bit depth ${depth}: expected 8`);
      if (body[12] !== 0) throw new DataError(source, 'interlaced PNGs are not supported');
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  const channels = colorType === 3 ? 1 : COLOR_TYPES[colorType];
  if (!channels || width === 0 || height === 0) throw new DataError(source, `unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new DataError(source, 'truncated PNG image data');
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new DataError(source, `bad PNG filter type ${filter}`);
      cur[x] = v & 0xff;
    }
  }
  if (colorType === 3) {
    if (!palette) throw new DataError(source, 'palette PNG without PLTE chunk');
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < out.length; i++) rgb.set(palette.subarray(out[i] * 3, out[i] * 3 + 3), i * 3);
    return { width, height, channels: 3, data: rgb };
  }
  return { width, height, channels, data: out };
}

/**
 * Converts any PNG to a 28x28-style greyscale image like the training data: luminance,
 * alpha composited on black, bilinear (area-averaged when shrinking) resize.
 */
export function toGreyscale(image: RawImage, size: [number, number]): Uint8Array {
  const { width, height, channels, data } = image;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    const alpha = channels === 2 ? data[p + 1] / 255 : channels === 4 ? data[p + 3] / 255 : 1;
    const lum = channels >= 3 ? 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2] : data[p];
    grey[i] = lum * alpha;
  }
  const [oh, ow] = size;
  const out = new Uint8Array(oh * ow);
  // Box filter over the source area of each output pixel: correct for both shrinking and growing.
  for (let y = 0; y < oh; y++) {
    const y0 = (y * height) / oh;
    const y1 = ((y + 1) * height) / oh;
    for (let x = 0; x < ow; x++) {
      const x0 = (x * width) / ow;
      const x1 = ((x + 1) * width) / ow;
      let sum = 0;
      let weight = 0;
      for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
        const wy = Math.min(sy + 1, y1) - Math.max(sy, y0);
        for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
          const w = wy * (Math.min(sx + 1, x1) - Math.max(sx, x0));
          sum += w * grey[Math.min(sy, height - 1) * width + Math.min(sx, width - 1)];
          weight += w;
        }
      }
      out[y * ow + x] = Math.round(sum / weight);
    }
  }
  return out;
}
