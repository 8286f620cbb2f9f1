// Max-pooling gradient for non-overlapping windows (filter = stride, no padding), NHWC with C a
// multiple of 4: each output's gradient goes to the first maximum of its window (as the cpu backend
// picks it), four channels at a time. Inputs outside every window get 0.
import { floats } from './simd';

export function maxPoolGrad(dy: usize, x: usize, dx: usize, batch: i32, H: i32, W: i32, C: i32, oH: i32, oW: i32, fh: i32, fw: i32): void {
  const cb = floats(C);
  memory.fill(dx, 0, <usize>batch * <usize>H * <usize>W * cb);
  const zero = f32x4.splat(0);
  for (let n = 0; n < batch; n++) {
    const xn = x + <usize>n * <usize>H * <usize>W * cb;
    const dxn = dx + <usize>n * <usize>H * <usize>W * cb;
    for (let oy = 0; oy < oH; oy++) {
      for (let ox = 0; ox < oW; ox++) {
        const pdy = dy + ((<usize>((n * oH + oy) * oW + ox)) * cb);
        const base = (<usize>(oy * fh) * <usize>W + <usize>(ox * fw)) * cb;
        for (let k: usize = 0; k < cb; k += 16) {
          // Pass 1: the window's max. Pass 2: the first position equal to it takes the gradient.
          let best = v128.load(xn + base + k);
          for (let i = 0; i < fh; i++) {
            for (let j = 0; j < fw; j++) {
              best = f32x4.pmax(best, v128.load(xn + base + (<usize>(i * W + j)) * cb + k));
            }
          }
          let taken = i32x4.splat(0);
          const g = v128.load(pdy + k);
          for (let i = 0; i < fh; i++) {
            for (let j = 0; j < fw; j++) {
              const o = base + (<usize>(i * W + j)) * cb + k;
              const hit = v128.andnot(f32x4.eq(v128.load(xn + o), best), taken);
              taken = v128.or(taken, hit);
              v128.store(dxn + o, v128.bitselect(g, zero, hit));
            }
          }
        }
      }
    }
  }
}
