/**
 * Pillow's `Image.resize(size, Image.BILINEAR)` of 8-bit images, which torchvision's `Resize` runs
 * on PIL images (antialiased: when shrinking, the triangle filter widens to the scale factor, so
 * every source pixel counts). Ported from Pillow's `libImaging/Resample.c` to give the same bytes:
 * coefficients in 22-bit fixed point, a horizontal pass then a vertical one, each rounded to 8 bits.
 */

/** Fixed-point bits of the coefficients (Pillow's `PRECISION_BITS`: 32 - 8 - 2). */
const PRECISION_BITS = 22;

interface AxisCoefficients {
  /** First source pixel of each output pixel. */
  start: Int32Array;
  /** Source pixels each output pixel reads. */
  count: Int32Array;
  /** `ksize` fixed-point weights per output pixel. */
  weights: Int32Array;
  ksize: number;
}

/** Pillow's `precompute_coeffs` with the bilinear filter (support 1), then `normalize_coeffs_8bpc`. */
function axisCoefficients(inSize: number, outSize: number): AxisCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const w = Math.max(1 - Math.abs((x + xmin - center + 0.5) * ss), 0);
      k[x] = w;
      sum += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = sum !== 0 ? k[x] / sum : k[x];
      weights[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { start, count, weights, ksize };
}

/** A weighted sum in fixed point, rounded and clipped to 0..255 as Pillow's `clip8`. */
function clip8(sum: number): number {
  const v = Math.floor(sum / (1 << PRECISION_BITS));
  return Math.max(0, Math.min(v, 255));
}

/**
 * Resizes an 8-bit image (`channels` interleaved samples per pixel, row-major) to
 * `outHeight x outWidth` exactly as Pillow's bilinear resize does: byte for byte the image
 * `Image.resize((outWidth, outHeight), Image.BILINEAR)` returns for mode L or RGB.
 */
export function pilResize(data: Uint8Array, height: number, width: number, channels: number, outHeight: number, outWidth: number): Uint8Array {
  const half = 1 << (PRECISION_BITS - 1);
  let src = data;
  let w = width;
  if (outWidth !== width) {
    const { start, count, weights, ksize } = axisCoefficients(width, outWidth);
    const out = new Uint8Array(height * outWidth * channels);
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < outWidth; xx++) {
        for (let c = 0; c < channels; c++) {
          let sum = half;
          for (let x = 0; x < count[xx]; x++) sum += src[(y * w + start[xx] + x) * channels + c] * weights[xx * ksize + x];
          out[(y * outWidth + xx) * channels + c] = clip8(sum);
        }
      }
    }
    src = out;
    w = outWidth;
  }
  if (outHeight !== height) {
    const { start, count, weights, ksize } = axisCoefficients(height, outHeight);
    const out = new Uint8Array(outHeight * w * channels);
    for (let yy = 0; yy < outHeight; yy++) {
      for (let x = 0; x < w * channels; x++) {
        let sum = half;
        for (let y = 0; y < count[yy]; y++) sum += src[(start[yy] + y) * w * channels + x] * weights[yy * ksize + y];
        out[yy * w * channels + x] = clip8(sum);
      }
    }
    src = out;
  }
  return src === data ? data.slice() : src;
}
