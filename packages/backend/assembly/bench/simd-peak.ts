// The ceiling of wasm SIMD (128-bit) f32 arithmetic on one core: 12 independent chains of
// f32x4 multiply then add (no FMA in wasm SIMD 1.0), enough to fill the FP pipes. 8 flops per op pair.
export function peak(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1); let a1 = f32x4.splat(2); let a2 = f32x4.splat(3); let a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5); let a5 = f32x4.splat(6); let a6 = f32x4.splat(7); let a7 = f32x4.splat(8);
  let a8 = f32x4.splat(9); let a9 = f32x4.splat(10); let a10 = f32x4.splat(11); let a11 = f32x4.splat(12);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c); a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c); a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

// The same 12 chains with relaxed SIMD's fused multiply-add (f32x4.relaxed_madd: one FMA
// instruction where the CPU has FMA), as the relaxed build's kernels compute. 8 flops per madd.
export function peakFma(iterations: i32): f32 {
  if (!ASC_FEATURE_RELAXED_SIMD) return 0;
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1); let a1 = f32x4.splat(2); let a2 = f32x4.splat(3); let a3 = f32x4.splat(4);
  let a4 = f32x4.splat(5); let a5 = f32x4.splat(6); let a6 = f32x4.splat(7); let a7 = f32x4.splat(8);
  let a8 = f32x4.splat(9); let a9 = f32x4.splat(10); let a10 = f32x4.splat(11); let a11 = f32x4.splat(12);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.relaxed_madd(a0, m, c); a1 = f32x4.relaxed_madd(a1, m, c);
    a2 = f32x4.relaxed_madd(a2, m, c); a3 = f32x4.relaxed_madd(a3, m, c);
    a4 = f32x4.relaxed_madd(a4, m, c); a5 = f32x4.relaxed_madd(a5, m, c);
    a6 = f32x4.relaxed_madd(a6, m, c); a7 = f32x4.relaxed_madd(a7, m, c);
    a8 = f32x4.relaxed_madd(a8, m, c); a9 = f32x4.relaxed_madd(a9, m, c);
    a10 = f32x4.relaxed_madd(a10, m, c); a11 = f32x4.relaxed_madd(a11, m, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
