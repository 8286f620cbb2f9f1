import { shownValue } from '@fmnist/core';
import { DataError } from '../data-error';
import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { type AffineParams, checkWarpOptions, type Interpolation, inverseAffineMatrix, warpAffineImage, type WarpOptions } from './affine';
import { roundHalfEven } from './round-half-even';
import { checkOptions, type Transform } from './transform';

export interface RandomAffineOptions extends WarpOptions {
  /** Rotation range in degrees, clockwise as in torchvision: `d >= 0` means [-d, d]. Default 0. */
  degrees?: number | [number, number];
  /** Maximum shift as fractions of width and height, e.g. [0.1, 0.1]; the shift is rounded to whole pixels. Default none. */
  translate?: [number, number];
  /** Scale range, e.g. [0.9, 1.1]. Default none (1). */
  scale?: [number, number];
  /**
   * Shear range in degrees: `s >= 0` shears along x by [-s, s]; `[a, b]` along x by [a, b];
   * `[a, b, c, d]` along x by [a, b] and along y by [c, d]. Default none.
   */
  shear?: number | [number, number] | [number, number, number, number];
}

/** `d` as the range [-d, d] (d must not be negative), or a range as given, checked. */
export function degreeRange(name: string, field: string, d: number | [number, number]): [number, number] {
  if (typeof d === 'number') {
    if (!(d >= 0)) throw new DataError(name, `${field} must be a non-negative number or a [min, max] range, found ${shownValue(d)}`);
    return [-d, d];
  }
  if (!(Array.isArray(d) && d.length === 2 && d.every(Number.isFinite) && d[0] <= d[1]))
    throw new DataError(name, `${field} must be a [min, max] range with min <= max, found ${shownValue(d)}`);
  return [d[0], d[1]];
}

/**
 * Random rotation, translation, scaling and shear about the image centre, per image
 * (torchvision `RandomAffine`: the same parameter ranges, drawing order, clockwise angles,
 * nearest interpolation by default, and border fill). `affine` applies it at given parameters.
 */
export class RandomAffine implements Transform {
  readonly name = 'RandomAffine';
  readonly degrees: [number, number];
  readonly translate?: [number, number];
  readonly scale?: [number, number];
  /** `[xmin, xmax]` (no shear along y) or `[xmin, xmax, ymin, ymax]`, or none. */
  readonly shear?: [number, number] | [number, number, number, number];
  readonly interpolation: Interpolation;
  readonly fill: number;

  constructor(options: RandomAffineOptions = {}) {
    checkOptions('RandomAffine', options, '{ degrees: 10 }');
    this.degrees = degreeRange(this.name, 'degrees', options.degrees ?? 0);
    this.translate = options.translate;
    this.scale = options.scale;
    ({ interpolation: this.interpolation, fill: this.fill } = checkWarpOptions(this.name, options));
    if (
      this.translate &&
      !(Array.isArray(this.translate) && this.translate.length === 2 && this.translate.every((t) => typeof t === 'number' && t >= 0 && t <= 1))
    )
      throw new DataError(this.name, `translate must be two fractions in [0, 1], found ${shownValue(this.translate)}`);
    if (
      this.scale &&
      !(Array.isArray(this.scale) && this.scale.length === 2 && this.scale.every(Number.isFinite) && this.scale[0] > 0 && this.scale[0] <= this.scale[1])
    )
      throw new DataError(this.name, `scale must satisfy 0 < min <= max, found ${shownValue(this.scale)}`);
    const shear = options.shear;
    if (shear !== undefined) {
      if (typeof shear === 'number' || shear.length === 2) this.shear = degreeRange(this.name, 'shear', shear as number | [number, number]);
      else if (shear.length === 4 && shear[0] <= shear[1] && shear[2] <= shear[3]) this.shear = [shear[0], shear[1], shear[2], shear[3]];
      else throw new DataError(this.name, `shear must be a number, [min, max] or [xmin, xmax, ymin, ymax], found ${shownValue(shear)}`);
    }
  }

  /**
   * One image's parameters, drawn as torchvision's `get_params` (angle, translation rounded to
   * whole pixels, scale, shear, in that order): `affine(image, params)` is what `apply` gives it.
   */
  sampleParams(rng: Rng, height: number, width: number): Required<AffineParams> & { shear: [number, number] } {
    const angle = rng.uniform(this.degrees[0], this.degrees[1]);
    const translate: [number, number] = this.translate
      ? [
          roundHalfEven(rng.uniform(-this.translate[0] * width, this.translate[0] * width)),
          roundHalfEven(rng.uniform(-this.translate[1] * height, this.translate[1] * height)),
        ]
      : [0, 0];
    const scale = this.scale ? rng.uniform(this.scale[0], this.scale[1]) : 1;
    const s = this.shear;
    const shear: [number, number] = s ? [rng.uniform(s[0], s[1]), s.length === 4 ? rng.uniform(s[2], s[3]) : 0] : [0, 0];
    return { angle, translate, scale, shear };
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const out = new Float32Array(data.length);
    const size = height * width * channels;
    for (let i = 0; i < n; i++) {
      const matrix = inverseAffineMatrix(this.sampleParams(rng, height, width));
      warpAffineImage(data, i * size, out, i * size, height, width, channels, matrix, this.interpolation, this.fill);
    }
    return { ...batch, data: out };
  }
}

export interface RandomRotationOptions extends WarpOptions {
  /** Rotation range in degrees, counter-clockwise as in torchvision: `d >= 0` means [-d, d]. */
  degrees: number | [number, number];
}

/**
 * Random rotation per image (torchvision `RandomRotation`: counter-clockwise angles, nearest
 * interpolation by default, `expand=False`, centre of the image). `rotate` applies it at a given angle.
 */
export class RandomRotation implements Transform {
  readonly name = 'RandomRotation';
  readonly degrees: [number, number];
  readonly interpolation: Interpolation;
  readonly fill: number;

  constructor(options: RandomRotationOptions) {
    checkOptions('RandomRotation', options, '{ degrees: 10 }');
    this.degrees = degreeRange(this.name, 'degrees', options.degrees);
    ({ interpolation: this.interpolation, fill: this.fill } = checkWarpOptions(this.name, options));
  }

  /** One image's angle (counter-clockwise degrees), as torchvision's `get_params`: `rotate(image, angle)` is what `apply` gives it. */
  sampleParams(rng: Rng): number {
    return rng.uniform(this.degrees[0], this.degrees[1]);
  }

  apply(batch: ImageBatch, rng: Rng): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const out = new Float32Array(data.length);
    const size = height * width * channels;
    for (let i = 0; i < n; i++) {
      const matrix = inverseAffineMatrix({ angle: -this.sampleParams(rng) });
      warpAffineImage(data, i * size, out, i * size, height, width, channels, matrix, this.interpolation, this.fill);
    }
    return { ...batch, data: out };
  }
}
