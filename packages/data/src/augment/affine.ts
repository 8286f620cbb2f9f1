import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';
import { roundHalfEven } from './round-half-even';

/** How a warped image reads between pixels: torchvision's `InterpolationMode.NEAREST` or `.BILINEAR`. */
export type Interpolation = 'nearest' | 'bilinear';

/** The parameters of one affine warp, as `torchvision.transforms.functional.affine` takes them. */
export interface AffineParams {
  /** Rotation in degrees, clockwise (torchvision's `affine` convention; `rotate` is counter-clockwise). Default 0. */
  angle?: number;
  /** Shift `[tx, ty]` in pixels, applied after rotation and scaling. Default [0, 0]. */
  translate?: [number, number];
  /** Scale factor, positive. Default 1. */
  scale?: number;
  /** Shear in degrees, `[x, y]` (a number shears along x only). Default [0, 0]. */
  shear?: number | [number, number];
}

export interface WarpOptions {
  /** Default `'nearest'`, torchvision's default for `affine`, `rotate`, `RandomAffine` and `RandomRotation`. */
  interpolation?: Interpolation;
  /** Value of the pixels that come from outside the image, blended at the border as torchvision does. Default 0. */
  fill?: number;
}

/** A 2x3 matrix `[a, b, c, d, e, f]` mapping an output pixel (relative to the centre) to its source. */
export type AffineMatrix = readonly [number, number, number, number, number, number];

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * torchvision's `_get_inverse_affine_matrix` about the image centre: the map from an output pixel
 * to the input pixel it reads (rotation, then shear, then scale; translation last).
 */
export function inverseAffineMatrix(params: AffineParams): AffineMatrix {
  const { angle = 0, translate = [0, 0], scale = 1 } = params;
  const shear = typeof params.shear === 'number' ? [params.shear, 0] : (params.shear ?? [0, 0]);
  if (!(scale > 0 && Number.isFinite(scale))) throw new DataError('affine', `scale must be a positive number, found ${shownValue(scale)}`);
  for (const [name, v] of [
    ['angle', angle],
    ['translate', translate[0]],
    ['translate', translate[1]],
    ['shear', shear[0]],
    ['shear', shear[1]],
  ] as const) {
    if (!Number.isFinite(v)) throw new DataError('affine', `${name} must be finite, found ${shownValue(v)}`);
  }
  const rot = radians(angle);
  const sx = radians(shear[0]);
  const sy = radians(shear[1]);
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  // The inverse of the rotation-shear matrix (its determinant is 1), unscaled, then the inverse translation.
  const m0 = d / scale;
  const m1 = -b / scale;
  const m3 = -c / scale;
  const m4 = a / scale;
  return [m0, m1, -m0 * tx - m1 * ty, m3, m4, -m3 * tx - m4 * ty];
}

/**
 * Warps one image (the `height * width * channels` floats at `srcBase`) into `out` at `outBase`,
 * as torchvision's tensor path does (`grid_sample`, `align_corners=False`, pixel centres about the
 * image centre). Outside pixels read `fill`; with bilinear interpolation a border pixel whose
 * in-image weight is `m` becomes `m * sampled + (1 - m) * fill`, where `sampled` counts outside
 * pixels as 0 (torchvision's mask blending). Written without closures: it runs once per pixel.
 */
export function warpAffineImage(
  src: Float32Array,
  srcBase: number,
  out: Float32Array,
  outBase: number,
  height: number,
  width: number,
  channels: number,
  matrix: AffineMatrix,
  interpolation: Interpolation,
  fill: number,
): void {
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const [m0, m1, m2, m3, m4, m5] = matrix;
  const rowLen = width * channels;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const sx = m0 * dx + m1 * dy + m2 + cx;
      const sy = m3 * dx + m4 * dy + m5 + cy;
      const dst = outBase + (y * width + x) * channels;
      if (interpolation === 'nearest') {
        const ix = roundHalfEven(sx);
        const iy = roundHalfEven(sy);
        const inside = ix >= 0 && ix < width && iy >= 0 && iy < height;
        const at = srcBase + iy * rowLen + ix * channels;
        for (let c = 0; c < channels; c++) out[dst + c] = inside ? src[at + c] : fill;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const wx = sx - x0;
      const wy = sy - y0;
      const inX0 = x0 >= 0 && x0 < width;
      const inX1 = x0 + 1 >= 0 && x0 + 1 < width;
      const inY0 = y0 >= 0 && y0 < height;
      const inY1 = y0 + 1 >= 0 && y0 + 1 < height;
      const w00 = inY0 && inX0 ? (1 - wy) * (1 - wx) : 0;
      const w01 = inY0 && inX1 ? (1 - wy) * wx : 0;
      const w10 = inY1 && inX0 ? wy * (1 - wx) : 0;
      const w11 = inY1 && inX1 ? wy * wx : 0;
      const inside = w00 + w01 + w10 + w11;
      const all = inX0 && inX1 && inY0 && inY1;
      const row0 = srcBase + y0 * rowLen;
      const row1 = row0 + rowLen;
      for (let c = 0; c < channels; c++) {
        let v = 0;
        if (w00 !== 0) v += w00 * src[row0 + x0 * channels + c];
        if (w01 !== 0) v += w01 * src[row0 + (x0 + 1) * channels + c];
        if (w10 !== 0) v += w10 * src[row1 + x0 * channels + c];
        if (w11 !== 0) v += w11 * src[row1 + (x0 + 1) * channels + c];
        out[dst + c] = all ? v : v * inside + (1 - inside) * fill;
      }
    }
  }
}

/** The options with their defaults, validated; `name` is the transform that errors name. */
export function checkWarpOptions(name: string, options: WarpOptions): Required<WarpOptions> {
  const { interpolation = 'nearest', fill = 0 } = options;
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new DataError(name, `interpolation must be 'nearest' or 'bilinear', found ${JSON.stringify(interpolation) ?? String(interpolation)}`);
  }
  if (!Number.isFinite(fill)) throw new DataError(name, `fill must be a finite number, found ${shownValue(fill)}`);
  return { interpolation, fill };
}

function warpBatch(batch: ImageBatch, matrix: AffineMatrix, options: Required<WarpOptions>): ImageBatch {
  const { data, n, height, width, channels } = batch;
  const out = new Float32Array(data.length);
  const size = height * width * channels;
  for (let i = 0; i < n; i++) warpAffineImage(data, i * size, out, i * size, height, width, channels, matrix, options.interpolation, options.fill);
  return { ...batch, data: out };
}

/**
 * Every image of the batch warped by the same affine map about its centre: torchvision's
 * `transforms.functional.affine(img, angle, translate, scale, shear, interpolation, fill)`
 * on a float tensor (positive angles turn clockwise).
 */
export function affine(batch: ImageBatch, params: AffineParams, options: WarpOptions = {}): ImageBatch {
  return warpBatch(batch, inverseAffineMatrix(params), checkWarpOptions('affine', options));
}

/**
 * Every image of the batch rotated by `angle` degrees counter-clockwise about its centre:
 * torchvision's `transforms.functional.rotate(img, angle, interpolation, expand=False, fill=fill)`.
 */
export function rotate(batch: ImageBatch, angle: number, options: WarpOptions = {}): ImageBatch {
  return warpBatch(batch, inverseAffineMatrix({ angle: -angle }), checkWarpOptions('rotate', options));
}
