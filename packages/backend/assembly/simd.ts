// The SIMD helpers every kernel uses. One place decides how a multiply-add is done, so the
// relaxed-SIMD build fuses them in every kernel (one rounding where the CPU has FMA), and the plain
// SIMD build computes exactly what `acc + a·b` written out did (an add is commutative bit for bit).

/** acc + a·b: one fused multiply-add in the relaxed-SIMD build, a multiply then an add otherwise. */
@inline export function mad(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** acc - a·b, fused in the relaxed-SIMD build as `mad`. */
@inline export function nmad(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, acc);
  return f32x4.sub(acc, f32x4.mul(a, b));
}

/** acc + v·s for a scalar s. */
@inline export function madS(acc: v128, v: v128, s: f32): v128 {
  return mad(acc, v, f32x4.splat(s));
}

/** acc - v·s for a scalar s. */
@inline export function nmadS(acc: v128, v: v128, s: f32): v128 {
  return nmad(acc, v, f32x4.splat(s));
}

/** Byte offset of float i (i * 4, widened first). */
@inline export function floats(i: i32): usize {
  return <usize>i << 2;
}

/** 4 floats at p, or with `one` the float at p in lane 0 and zeros (a channel tail). */
@inline export function ld(p: usize, one: bool): v128 {
  return one ? v128.load32_zero(p) : v128.load(p);
}

/** Stores 4 floats at p, or with `one` lane 0 only. */
@inline export function st(p: usize, v: v128, one: bool): void {
  if (one) v128.store32_lane(p, v, 0);
  else v128.store(p, v);
}

/** The floats at p0, p1, p2, p3 in lanes 0..3. */
@inline export function gather4(p0: usize, p1: usize, p2: usize, p3: usize): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(p0)), 1, load<f32>(p1)), 2, load<f32>(p2)), 3, load<f32>(p3));
}

/** Lanes 0..3 of v to p0, p1, p2, p3, from the last back (a missing row aliases a valid one, which the real row then rewrites). */
@inline export function scatter4(v: v128, p0: usize, p1: usize, p2: usize, p3: usize, rows: i32): void {
  if (rows > 3) store<f32>(p3, f32x4.extract_lane(v, 3));
  if (rows > 2) store<f32>(p2, f32x4.extract_lane(v, 2));
  if (rows > 1) store<f32>(p1, f32x4.extract_lane(v, 1));
  store<f32>(p0, f32x4.extract_lane(v, 0));
}
