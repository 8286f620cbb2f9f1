// Column sums of a [rows, C] matrix (bias gradients: Sum over the leading axes), C a multiple of 4.
// f32 sums over blocks of ROWS rows, added into f64 totals at `scratch` (12 * C bytes).
import { floats } from './simd';

const ROWS: i32 = 32;

export function columnSum(x: usize, out: usize, rows: i32, C: i32, scratch: usize): void {
  const cb = floats(C);
  const block = scratch;
  const total = scratch + cb;
  for (let i: usize = 0; i < 3 * cb; i += 16) v128.store(scratch + i, f32x4.splat(0));
  let px = x;
  for (let r = 0; r < rows; r++) {
    for (let k: usize = 0; k < cb; k += 16) v128.store(block + k, f32x4.add(v128.load(block + k), v128.load(px + k)));
    px += cb;
    if ((r + 1) % ROWS == 0 || r + 1 == rows) {
      for (let k: usize = 0; k < cb; k += 16) {
        const v = v128.load(block + k);
        const t = total + (k << 1);
        v128.store(t, f64x2.add(v128.load(t), f64x2.promote_low_f32x4(v)));
        v128.store(t + 16, f64x2.add(v128.load(t + 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
        v128.store(block + k, f32x4.splat(0));
      }
    }
  }
  for (let k = 0; k < C; k++) store<f32>(out + floats(k), <f32>load<f64>(total + (<usize>k << 3)));
}
