// ReLU's gradient in one pass: dx = dy where x > 0, NaN where x is NaN (as tfjs's dy * step(x)), else 0.
import { floats } from './simd';

export function reluGrad(dy: usize, x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = floats(n);
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const xv = v128.load(x + i);
    const kept = v128.and(v128.load(dy + i), f32x4.gt(xv, zero));
    v128.store(dx + i, v128.or(kept, v128.and(xv, f32x4.ne(xv, xv))));
  }
  for (; i < end; i += 4) {
    const xs = load<f32>(x + i);
    store<f32>(dx + i, xs > 0 ? load<f32>(dy + i) : xs != xs ? xs : 0);
  }
}
