// Stride-1 convolutions (NHWC, dilation 1) as sums of GEMMs over the filter taps ("implicit GEMM"),
// reading the tensors in place: no im2col matrix, no packed filter. Padding is applied by the caller
// (one cheap Pad), so every tap reads a rectangle of the padded input.
import { gemm } from './gemm';

/**
 * out[n, y, x, :] = Σ over taps (i, j) of xp[n, y + i, x + j, :] · w[tap], per output row.
 * xp is [batch, Hq, Wq, cin]; out is [batch, H, W, cout] with H = Hq - kh + 1, W = Wq - kw + 1.
 * w is [kh, kw, cin, cout]; with `flip` the taps are read rotated by 180° (the input gradient:
 * w is then the filter with its channel axes swapped). bias (or 0) is added once, ReLU at the end.
 */
export function conv2dRows(xp: usize, batch: i32, Hq: i32, Wq: i32, cin: i32, w: usize, kh: i32, kw: i32, flip: bool, out: usize, cout: i32, bias: usize, relu: bool): void {
  const H = Hq - kh + 1;
  const W = Wq - kw + 1;
  const taps = kh * kw;
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < H; y++) {
      const c = out + ((<usize>((n * H + y) * W) * <usize>cout) << 2);
      if (!flip) {
        // One GEMM per filter row: the kw taps' windows of a row overlap, so A(x, (j, ci)) =
        // xp[n, y + i, x + j, ci] is one strided read (sam cin, sak 1) with K = kw * cin, and
        // B is the row's kw * cin filter rows, contiguous. The same sums, in the same order, as
        // one GEMM per tap, in a third of the calls and with K long enough for few channels.
        for (let i = 0; i < kh; i++) {
          const a = xp + ((<usize>((n * Hq + y + i) * Wq) * <usize>cin) << 2);
          const b = w + ((<usize>i * <usize>kw * <usize>cin * <usize>cout) << 2);
          gemm(a, cin, 1, b, cout, c, cout, W, kw * cin, cout, i == 0 ? bias : 0, relu && i == kh - 1, i > 0);
        }
        continue;
      }
      for (let t = 0; t < taps; t++) {
        const i = t / kw;
        const j = t % kw;
        const a = xp + ((<usize>(((n * Hq + y + i) * Wq) + j) * <usize>cin) << 2);
        const tap = taps - 1 - t;
        const b = w + ((<usize>tap * <usize>cin * <usize>cout) << 2);
        gemm(a, cin, 1, b, cout, c, cout, W, cin, cout, t == 0 ? bias : 0, relu && t == taps - 1, t > 0);
      }
    }
  }
}

/**
 * The filter gradient dw[i, j, :, :] = Σ over n, y, x of xp[n, y + i, x + j, :]ᵀ dyp[n, y, x, :].
 * xp is [batch, Hx, Wp, cin] (the forward's padding plus one zero row at the bottom, which the
 * reads that run past a row's end may reach); dyp is [batch, oH, Wp, cout], zero beyond the real
 * output width, so the k loop runs over whole padded rows: one GEMM per image and filter row.
 * `cout` output channels are computed out of `ld` (the channel count of dyp and dw): threads take
 * column ranges, with dyp and dw offset to their first channel.
 */
export function conv2dFilterGrad(xp: usize, dyp: usize, dw: usize, batch: i32, Hx: i32, Wp: i32, cin: i32, oH: i32, kh: i32, kw: i32, cout: i32, ld: i32): void {
  const K = oH * Wp;
  for (let n = 0; n < batch; n++) {
    const b = dyp + ((<usize>(n * K) * <usize>ld) << 2);
    // One GEMM per image and filter row: rows (j, ci) of dw[i] read A((j, ci), k) = xp[.., k + j, ci]
    // (sam 1, sak cin): M = kw * cin, the same sums as one GEMM per tap, a third of the calls,
    // and for few input channels (a first layer's one) tiles of 4 real rows, not 1 and 3 copies.
    for (let i = 0; i < kh; i++) {
      const a = xp + ((<usize>((n * Hx + i) * Wp) * <usize>cin) << 2);
      const c = dw + ((<usize>i * <usize>kw * <usize>cin * <usize>ld) << 2);
      gemm(a, 1, cin, b, ld, c, ld, kw * cin, K, cout, 0, false, n > 0);
    }
  }
}
