// out[c, r] = x[r, c] for a [rows, cols] f32 matrix (a range of its rows: r0 .. r0 + count), in 4x4
// blocks transposed in registers, walked in 32x32 tiles so both sides stay in L1. tfjs-backend-wasm's
// Transpose moves one float at a time and ran at ~0.6 GB/s on 512x512 (a power-of-two stride),
// 1.5 ms of every Dense backward product that needs Wᵀ.
import { floats } from './simd';

const TILE: i32 = 32;

@inline function block4(x: usize, ldx: usize, out: usize, ldo: usize): void {
  const a = v128.load(x);
  const b = v128.load(x + ldx);
  const c = v128.load(x + 2 * ldx);
  const d = v128.load(x + 3 * ldx);
  const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd0 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const cd1 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(out, i64x2.shuffle(ab0, cd0, 0, 2));
  v128.store(out + ldo, i64x2.shuffle(ab0, cd0, 1, 3));
  v128.store(out + 2 * ldo, i64x2.shuffle(ab1, cd1, 0, 2));
  v128.store(out + 3 * ldo, i64x2.shuffle(ab1, cd1, 1, 3));
}

export function transpose2d(x: usize, out: usize, rows: i32, cols: i32, r0: i32, count: i32): void {
  const ldx = floats(cols);
  const ldo = floats(rows);
  const rEnd = r0 + count;
  for (let rt = r0; rt < rEnd; rt += TILE) {
    const rMax = min(rt + TILE, rEnd);
    const r4 = rt + ((rMax - rt) & ~3);
    for (let ct = 0; ct < cols; ct += TILE) {
      const cMax = min(ct + TILE, cols);
      const c4 = ct + ((cMax - ct) & ~3);
      for (let r = rt; r < r4; r += 4) {
        let c = ct;
        for (; c < c4; c += 4) block4(x + <usize>r * ldx + floats(c), ldx, out + <usize>c * ldo + floats(r), ldo);
        for (; c < cMax; c++) {
          for (let i = 0; i < 4; i++) store<f32>(out + <usize>c * ldo + (<usize>(r + i) << 2), load<f32>(x + <usize>(r + i) * ldx + floats(c)));
        }
      }
      for (let r = r4; r < rMax; r++) {
        for (let c = ct; c < cMax; c++) store<f32>(out + <usize>c * ldo + floats(r), load<f32>(x + <usize>r * ldx + floats(c)));
      }
    }
  }
}
