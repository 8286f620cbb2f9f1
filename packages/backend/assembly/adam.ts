// One Adam/AdamW step over n floats (see src/kernels/adam-update.ts for the formulas), four at a
// time; a scalar loop takes the last n % 4. Every scalar comes from the host, computed in double
// and rounded once (1 - beta2 computed here in float32 would be off by 1e-5 relative).
import { floats, mad } from './simd';

export function adamUpdate(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  w2: usize,
  m2: usize,
  v2: usize,
  n: i32,
  beta1: f32,
  beta2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  eps: f32,
  stepSize: f32,
  sqrtC2: f32,
  keep: f32,
  l2: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(oneMinusBeta1);
  const ob2 = f32x4.splat(oneMinusBeta2);
  const e = f32x4.splat(eps);
  const s = f32x4.splat(stepSize);
  const c2 = f32x4.splat(sqrtC2);
  const kp = f32x4.splat(keep);
  const l = f32x4.splat(l2);
  const vec = <usize>(n & ~3) << 2;
  for (let i: usize = 0; i < vec; i += 16) {
    const wi = v128.load(w + i);
    const gi = mad(v128.load(g + i), l, wi);
    const mi = mad(f32x4.mul(b1, v128.load(m + i)), ob1, gi);
    const vi = mad(f32x4.mul(b2, v128.load(v + i)), ob2, f32x4.mul(gi, gi));
    v128.store(m2 + i, mi);
    v128.store(v2 + i, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), c2), e);
    v128.store(w2 + i, f32x4.sub(f32x4.mul(wi, kp), f32x4.div(f32x4.mul(s, mi), denom)));
  }
  for (let i: usize = vec; i < floats(n); i += 4) {
    const wi = load<f32>(w + i);
    const gi = load<f32>(g + i) + l2 * wi;
    const mi = beta1 * load<f32>(m + i) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(v + i) + oneMinusBeta2 * gi * gi;
    store<f32>(m2 + i, mi);
    store<f32>(v2 + i, vi);
    store<f32>(w2 + i, wi * keep - (stepSize * mi) / (Mathf.sqrt(vi) / sqrtC2 + eps));
  }
}
