// Batch-norm training forward and backward over [rows, C] (NHWC flattened), C a multiple of 4.
// Per-channel sums run in f32 over blocks of ROWS rows, then add into f64 totals: as accurate as
// the float64 JS loops they replace, at SIMD speed. `scratch` holds 32 * C bytes we may overwrite.

import { floats, mad } from './simd';

const ROWS: i32 = 32;

/** Zeroes `bytes` bytes at p (a multiple of 16). */
function zero(p: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 16) v128.store(p + i, f32x4.splat(0));
}

/** Adds the f32 block sums at `block` into the f64 totals at `total`, then zeroes the block. */
function flush(block: usize, total: usize, C: i32): void {
  for (let k = 0; k < C; k += 4) {
    const v = v128.load(block + floats(k));
    const t = total + (<usize>k << 3);
    v128.store(t, f64x2.add(v128.load(t), f64x2.promote_low_f32x4(v)));
    v128.store(t + 16, f64x2.add(v128.load(t + 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
    v128.store(block + floats(k), f32x4.splat(0));
  }
}

/**
 * Two per-channel sums over the rows: of x and x², or (with `centre`) of g and g·(x - centre).
 * Results as f64 at scratch + 8C (first) and scratch + 16C (second).
 */
function channelSums(x: usize, g: usize, centre: usize, rows: i32, C: i32, scratch: usize): void {
  const cb = floats(C);
  const s1 = scratch;
  const s2 = scratch + cb;
  const t1 = scratch + 2 * cb;
  zero(scratch, 6 * cb);
  let px = x;
  let pg = g;
  for (let r = 0; r < rows; r++) {
    for (let k: usize = 0; k < cb; k += 16) {
      const xv = v128.load(px + k);
      if (g == 0) {
        v128.store(s1 + k, f32x4.add(v128.load(s1 + k), xv));
        v128.store(s2 + k, mad(v128.load(s2 + k), xv, xv));
      } else {
        const gv = v128.load(pg + k);
        v128.store(s1 + k, f32x4.add(v128.load(s1 + k), gv));
        v128.store(s2 + k, mad(v128.load(s2 + k), gv, f32x4.sub(xv, v128.load(centre + k))));
      }
    }
    px += cb;
    pg += cb;
    if ((r + 1) % ROWS == 0 || r + 1 == rows) {
      flush(s1, t1, C);
      flush(s2, t1 + 2 * cb, C);
    }
  }
}

/** y = x·scale + shift per channel. */
function affine(x: usize, y: usize, scale: usize, shift: usize, rows: i32, C: i32): void {
  const cb = floats(C);
  let px = x;
  let py = y;
  for (let r = 0; r < rows; r++) {
    for (let k: usize = 0; k < cb; k += 16) v128.store(py + k, mad(v128.load(shift + k), v128.load(px + k), v128.load(scale + k)));
    px += cb;
    py += cb;
  }
}

/** y = γ(x - mean)·invStd + β with the batch's mean and biased variance; writes mean and invStd. */
export function batchNormTrain(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, invStd: usize, rows: i32, C: i32, eps: f64, scratch: usize): void {
  channelSums(x, 0, 0, rows, C, scratch);
  const cb = floats(C);
  const t1 = scratch + 2 * cb;
  const t2 = t1 + 2 * cb;
  // The f32 scratch of the sums is free again: scale and shift go there.
  const scale = scratch;
  const shift = scratch + cb;
  for (let k = 0; k < C; k++) {
    const o = <usize>k;
    const mu = load<f64>(t1 + (o << 3)) / rows;
    const variance = max(0, load<f64>(t2 + (o << 3)) / rows - mu * mu);
    const inv = 1 / Math.sqrt(variance + eps);
    const s = <f64>load<f32>(gamma + (o << 2)) * inv;
    store<f32>(mean + (o << 2), <f32>mu);
    store<f32>(invStd + (o << 2), <f32>inv);
    store<f32>(scale + (o << 2), <f32>s);
    store<f32>(shift + (o << 2), <f32>(<f64>load<f32>(beta + (o << 2)) - mu * s));
  }
  affine(x, y, scale, shift, rows, C);
}

/**
 * The gradient: with x̂ = (x - mean)·invStd, dβ = Σ dy, dγ = Σ dy·x̂,
 * dx = γ·invStd/M · (M·dy - dβ - x̂·dγ) = a·dy + b·x + d per channel.
 */
export function batchNormTrainGrad(dy: usize, x: usize, gamma: usize, mean: usize, invStd: usize, dx: usize, dGamma: usize, dBeta: usize, rows: i32, C: i32, scratch: usize): void {
  channelSums(x, dy, mean, rows, C, scratch);
  const cb = floats(C);
  const t1 = scratch + 2 * cb;
  const t2 = t1 + 2 * cb;
  const a = scratch;
  const b = scratch + cb;
  // d goes after the f64 totals (scratch + 6C..7C floats... within the 32C bytes).
  const d = scratch + 6 * cb;
  for (let k = 0; k < C; k++) {
    const o = <usize>k;
    const sumDy = load<f64>(t1 + (o << 3));
    const inv = <f64>load<f32>(invStd + (o << 2));
    const sumDyXhat = load<f64>(t2 + (o << 3)) * inv;
    store<f32>(dBeta + (o << 2), <f32>sumDy);
    store<f32>(dGamma + (o << 2), <f32>sumDyXhat);
    const ak = <f64>load<f32>(gamma + (o << 2)) * inv;
    const bk = (-ak * inv * sumDyXhat) / rows;
    store<f32>(a + (o << 2), <f32>ak);
    store<f32>(b + (o << 2), <f32>bk);
    store<f32>(d + (o << 2), <f32>((-ak * sumDy) / rows - bk * <f64>load<f32>(mean + (o << 2))));
  }
  let pdy = dy;
  let px = x;
  let pdx = dx;
  for (let r = 0; r < rows; r++) {
    for (let k: usize = 0; k < cb; k += 16) {
      const v = mad(f32x4.mul(v128.load(a + k), v128.load(pdy + k)), v128.load(b + k), v128.load(px + k));
      v128.store(pdx + k, f32x4.add(v, v128.load(d + k)));
    }
    pdy += cb;
    px += cb;
    pdx += cb;
  }
}

/**
 * Inference: y = (x - mean)·scale/sqrt(variance + eps) + offset with given per-channel statistics
 * (scale, offset 0 = absent: 1 and 0). scratch holds 8C bytes.
 */
export function batchNormInference(x: usize, mean: usize, variance: usize, offset: usize, scale: usize, y: usize, rows: i32, C: i32, eps: f64, scratch: usize): void {
  const cb = floats(C);
  const a = scratch;
  const d = scratch + cb;
  for (let k = 0; k < C; k++) {
    const o = floats(k);
    const s = (scale == 0 ? 1 : <f64>load<f32>(scale + o)) / Math.sqrt(<f64>load<f32>(variance + o) + eps);
    store<f32>(a + o, <f32>s);
    store<f32>(d + o, <f32>((offset == 0 ? 0 : <f64>load<f32>(offset + o)) - <f64>load<f32>(mean + o) * s));
  }
  affine(x, y, a, d, rows, C);
}
