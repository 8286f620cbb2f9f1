// Winograd F(4x4, 3x3) convolutions (Lavin & Gray, arXiv 1509.09308), NHWC, stride 1, dilation 1:
// a 4x4 output tile from a 6x6 input tile with 36 multiplies per channel pair instead of 144. The
// multiplies are 36 independent GEMMs [tiles x Cin] · [Cin x Cout] on gemm.ts; the transforms are
// adds, 4 channels to a vector (the last 1-3 channels one lane at a time).
//
//   forward:           Y  = Aᵀ [U ⊙ V] A,  U = G g Gᵀ (filter), V = Bᵀ d B (input tile)
//   filter gradient:   dg = Gᵀ [Σ over tiles V ⊙ (A dY Aᵀ)] G   (the adjoint of the forward in g)
//   input gradient:    the forward on dy with the filter rotated 180° and its channel axes swapped.
//
// Transformed tensors are [36][tiles][channels]: element e = row * 6 + column of the tile.
import { gemm } from './gemm';

const E = 36;

@inline function ld(p: usize, one: bool): v128 {
  return one ? v128.load32_zero(p) : v128.load(p);
}

@inline function st(p: usize, v: v128, one: bool): void {
  if (one) v128.store32_lane(p, v, 0);
  else v128.store(p, v);
}

@inline function mul(v: v128, s: f32): v128 {
  return f32x4.mul(v, f32x4.splat(s));
}

@inline function add(a: v128, b: v128): v128 {
  return f32x4.add(a, b);
}

@inline function sub(a: v128, b: v128): v128 {
  return f32x4.sub(a, b);
}

/** Bᵀ on 6 vectors at src + k * ss, the 6 results to dst + k * ds. */
@inline function bt6(src: usize, ss: usize, dst: usize, ds: usize, ldOne: bool, stOne: bool): void {
  const d0 = ld(src, ldOne);
  const d1 = ld(src + ss, ldOne);
  const d2 = ld(src + 2 * ss, ldOne);
  const d3 = ld(src + 3 * ss, ldOne);
  const d4 = ld(src + 4 * ss, ldOne);
  const d5 = ld(src + 5 * ss, ldOne);
  const d42 = sub(d4, d2);
  const d13 = sub(d1, d3);
  st(dst, add(sub(mul(d0, 4), mul(d2, 5)), d4), stOne);
  st(dst + ds, add(mul(add(d1, d2), -4), add(d3, d4)), stOne);
  st(dst + 2 * ds, add(mul(sub(d1, d2), 4), sub(d4, d3)), stOne);
  st(dst + 3 * ds, add(mul(d13, -2), d42), stOne);
  st(dst + 4 * ds, add(mul(d13, 2), d42), stOne);
  st(dst + 5 * ds, add(sub(mul(d1, 4), mul(d3, 5)), d5), stOne);
}

/** Aᵀ on 6 vectors: 4 results (the output tile's row or column). */
@inline function at4(src: usize, ss: usize, dst: usize, ds: usize): void {
  const m0 = v128.load(src);
  const m1 = v128.load(src + ss);
  const m2 = v128.load(src + 2 * ss);
  const m3 = v128.load(src + 3 * ss);
  const m4 = v128.load(src + 4 * ss);
  const m5 = v128.load(src + 5 * ss);
  const p12 = add(m1, m2);
  const n12 = sub(m1, m2);
  const p34 = add(m3, m4);
  const n34 = sub(m3, m4);
  v128.store(dst, add(add(m0, p12), p34));
  v128.store(dst + ds, add(n12, mul(n34, 2)));
  v128.store(dst + 2 * ds, add(p12, mul(p34, 4)));
  v128.store(dst + 3 * ds, add(add(n12, mul(n34, 8)), m5));
}

/** A on 4 vectors: 6 results (the transposed output transform, for dY). */
@inline function a6(src: usize, ss: usize, dst: usize, ds: usize, ldOne: bool, stOne: bool): void {
  const y0 = ld(src, ldOne);
  const y1 = ld(src + ss, ldOne);
  const y2 = ld(src + 2 * ss, ldOne);
  const y3 = ld(src + 3 * ss, ldOne);
  const p02 = add(y0, y2);
  const p13 = add(y1, y3);
  const q02 = add(y0, mul(y2, 4));
  const q13 = add(mul(y1, 2), mul(y3, 8));
  st(dst, y0, stOne);
  st(dst + ds, add(p02, p13), stOne);
  st(dst + 2 * ds, sub(p02, p13), stOne);
  st(dst + 3 * ds, add(q02, q13), stOne);
  st(dst + 4 * ds, sub(q02, q13), stOne);
  st(dst + 5 * ds, y3, stOne);
}

/** G on the 3 vectors at p0, p1, p2: 6 results (the filter transform). */
@inline function g6(p0: usize, p1: usize, p2: usize, dst: usize, ds: usize, ldOne: bool, stOne: bool): void {
  const g0 = ld(p0, ldOne);
  const g1 = ld(p1, ldOne);
  const g2 = ld(p2, ldOne);
  const p02 = add(g0, g2);
  const q02 = add(mul(g0, 1.0 / 24), mul(g2, 1.0 / 6));
  const g1h = mul(g1, 1.0 / 12);
  st(dst, mul(g0, 0.25), stOne);
  st(dst + ds, mul(add(p02, g1), -1.0 / 6), stOne);
  st(dst + 2 * ds, mul(sub(p02, g1), -1.0 / 6), stOne);
  st(dst + 3 * ds, add(q02, g1h), stOne);
  st(dst + 4 * ds, sub(q02, g1h), stOne);
  st(dst + 5 * ds, g2, stOne);
}

/** Gᵀ on 6 vectors: 3 results (the filter gradient's last transform). */
@inline function gt3(src: usize, ss: usize, dst: usize, ds: usize, stOne: bool): void {
  const s0 = v128.load(src);
  const s1 = v128.load(src + ss);
  const s2 = v128.load(src + 2 * ss);
  const s3 = v128.load(src + 3 * ss);
  const s4 = v128.load(src + 4 * ss);
  const s5 = v128.load(src + 5 * ss);
  const p12 = mul(add(s1, s2), 1.0 / 6);
  const n21 = mul(sub(s2, s1), 1.0 / 6);
  const p34 = add(s3, s4);
  const n34 = sub(s3, s4);
  st(dst, add(sub(mul(s0, 0.25), p12), mul(p34, 1.0 / 24)), stOne);
  st(dst + ds, add(n21, mul(n34, 1.0 / 12)), stOne);
  st(dst + 2 * ds, add(sub(mul(p34, 1.0 / 6), p12), s5), stOne);
}

/**
 * U[e][ci][co] = (G g Gᵀ)[e] for input channels [c0, c0 + cc) of w [3, 3, cin, cout]; with `flip`
 * the taps are read rotated by 180° (the input gradient, w then has its channel axes swapped).
 * tmp: 18 vectors of scratch.
 */
export function winogradFilter(w: usize, u: usize, cin: i32, cout: i32, c0: i32, cc: i32, flip: bool, tmp: usize): void {
  const eStride = (<usize>cin * <usize>cout) << 2;
  for (let ci = c0; ci < c0 + cc; ci++) {
    for (let co = 0; co < cout; ) {
      const one = co + 4 > cout;
      const g = w + ((<usize>ci * <usize>cout + <usize>co) << 2);
      // Rows of g through G: tmp[i][c], 3 x 6. Tap (i, j) is at g + (i * 3 + j) * eStride.
      for (let i = 0; i < 3; i++) {
        const dst = tmp + <usize>(i * 6) * 16;
        if (flip) {
          const r = <usize>((2 - i) * 3);
          g6(g + (r + 2) * eStride, g + (r + 1) * eStride, g + r * eStride, dst, 16, one, false);
        } else {
          const r = <usize>(i * 3);
          g6(g + r * eStride, g + (r + 1) * eStride, g + (r + 2) * eStride, dst, 16, one, false);
        }
      }
      // Columns through G: U[r * 6 + c].
      const o = u + ((<usize>ci * <usize>cout + <usize>co) << 2);
      for (let c = 0; c < 6; c++) {
        const p = tmp + <usize>c * 16;
        g6(p, p + 96, p + 192, o + <usize>c * eStride, 6 * eStride, false, one);
      }
      co += one ? 1 : 4;
    }
  }
}

/** Tile t of a [batch, tH, tW] grid: the byte offset of its top-left pixel in a [batch, rows, cols, c] tensor. */
@inline function tileBase(t: i32, tH: i32, tW: i32, rows: i32, cols: i32, c: i32): usize {
  const per = tH * tW;
  const n = t / per;
  const r = t - n * per;
  const ty = r / tW;
  const tx = r - ty * tW;
  return (<usize>((n * rows + ty * 4) * cols + tx * 4) * <usize>c) << 2;
}

/**
 * V[e][t - t0][ch] = (Bᵀ d B)[e] for tiles [t0, t0 + count) of xp [batch, 4 tH + 2, 4 tW + 2, c]
 * (zero-padded so every tile is whole). V's tile stride is ldT. tmp: 36 vectors.
 */
export function winogradInput(xp: usize, tH: i32, tW: i32, c: i32, t0: i32, count: i32, v: usize, ldT: i32, tmp: usize): void {
  const rows = tH * 4 + 2;
  const cols = tW * 4 + 2;
  const cs = <usize>c << 2;
  const rs = <usize>cols * cs;
  const es = (<usize>ldT * <usize>c) << 2;
  for (let t = t0; t < t0 + count; t++) {
    const base = xp + tileBase(t, tH, tW, rows, cols, c);
    const out = v + ((<usize>(t - t0) * <usize>c) << 2);
    for (let ch = 0; ch < c; ) {
      const one = ch + 4 > c;
      const p = base + (<usize>ch << 2);
      // Rows: tmp[i][k] = Σ_j Bᵀ[k][j] d[i][j].
      for (let i = 0; i < 6; i++) bt6(p + <usize>i * rs, cs, tmp + <usize>(i * 6) * 16, 16, one, false);
      // Columns: V[r * 6 + k] = Σ_i Bᵀ[r][i] tmp[i][k].
      const o = out + (<usize>ch << 2);
      for (let k = 0; k < 6; k++) bt6(tmp + <usize>k * 16, 96, o + <usize>k * es, 6 * es, false, one);
      ch += one ? 1 : 4;
    }
  }
}

/**
 * The output tiles [t0, t0 + count) from M[e][t - t0][co] (tile stride ldT): out = Aᵀ M A (+ bias)
 * (ReLU), clipped to the [batch, H, W, cout] output. tmp: 24 vectors.
 */
export function winogradOutput(m: usize, ldT: i32, t0: i32, count: i32, tH: i32, tW: i32, cout: i32, out: usize, H: i32, W: i32, bias: usize, relu: bool, tmp: usize): void {
  const es = (<usize>ldT * <usize>cout) << 2;
  const per = tH * tW;
  const zero = f32x4.splat(0);
  for (let t = t0; t < t0 + count; t++) {
    const n = t / per;
    const r = t - n * per;
    const y0 = (r / tW) * 4;
    const x0 = (r - (r / tW) * tW) * 4;
    const rowsHere = min(4, H - y0);
    const colsHere = min(4, W - x0);
    const src = m + ((<usize>(t - t0) * <usize>cout) << 2);
    const dst = out + ((<usize>((n * H + y0) * W + x0) * <usize>cout) << 2);
    for (let co = 0; co < cout; ) {
      const one = co + 4 > cout;
      const s = src + (<usize>co << 2);
      // The last 1-3 channels load whole vectors from M (its rows are our scratch or the next tile's), stored one lane.
      for (let i = 0; i < 6; i++) at4(s + <usize>(i * 6) * es, es, tmp + <usize>(i * 4) * 16, 16);
      const b = bias != 0 ? ld(bias + (<usize>co << 2), one) : zero;
      for (let k = 0; k < colsHere; k++) {
        at4(tmp + <usize>k * 16, 64, tmp + 384 + <usize>k * 16, 64);
      }
      for (let y = 0; y < rowsHere; y++) {
        for (let x = 0; x < colsHere; x++) {
          let val = add(v128.load(tmp + 384 + <usize>(y * 4 + x) * 16), b);
          if (relu) val = f32x4.max(val, zero);
          st(dst + ((<usize>(y * W + x) * <usize>cout + <usize>co) << 2), val, one);
        }
      }
      co += one ? 1 : 4;
    }
  }
}

/**
 * One chunk of a forward Winograd convolution: tiles [t0, t0 + count) in blocks of `tb`.
 * params (i32): xp, tH, tW, cin, u, cout, out, H, W, bias, relu, tb. scratch: 1 KiB, then
 * V [36][tb][cin], then M [36][tb][cout].
 */
export function winogradConv(params: usize, t0: i32, count: i32, scratch: usize): void {
  const xp = <usize>load<i32>(params);
  const tH = load<i32>(params, 4);
  const tW = load<i32>(params, 8);
  const cin = load<i32>(params, 12);
  const u = <usize>load<i32>(params, 16);
  const cout = load<i32>(params, 20);
  const out = <usize>load<i32>(params, 24);
  const H = load<i32>(params, 28);
  const W = load<i32>(params, 32);
  const bias = <usize>load<i32>(params, 36);
  const relu = load<i32>(params, 40) != 0;
  const tb = load<i32>(params, 44);
  const tmp = scratch;
  const v = scratch + 1024;
  const m = v + ((<usize>E * <usize>tb * <usize>cin) << 2);
  const uStride = (<usize>cin * <usize>cout) << 2;
  for (let b0 = t0; b0 < t0 + count; b0 += tb) {
    const nb = min(tb, t0 + count - b0);
    winogradInput(xp, tH, tW, cin, b0, nb, v, tb, tmp);
    for (let e = 0; e < E; e++) {
      gemm(v + ((<usize>(e * tb) * <usize>cin) << 2), cin, 1, u + <usize>e * uStride, cout, m + ((<usize>(e * tb) * <usize>cout) << 2), cout, nb, cin, cout, 0, false, false);
    }
    winogradOutput(m, tb, b0, nb, tH, tW, cout, out, H, W, bias, relu, tmp);
  }
}

/**
 * Z[e][t - t0][co] = (A dY Aᵀ)[e] for tiles [t0, t0 + count) of dyp [batch, 4 tH, 4 tW, c]
 * (zero beyond the real output). Z's tile stride is ldT. tmp: 24 vectors.
 */
export function winogradGradOutput(dyp: usize, tH: i32, tW: i32, c: i32, t0: i32, count: i32, z: usize, ldT: i32, tmp: usize): void {
  const rows = tH * 4;
  const cols = tW * 4;
  const cs = <usize>c << 2;
  const rs = <usize>cols * cs;
  const es = (<usize>ldT * <usize>c) << 2;
  for (let t = t0; t < t0 + count; t++) {
    const base = dyp + tileBase(t, tH, tW, rows, cols, c);
    const out = z + ((<usize>(t - t0) * <usize>c) << 2);
    for (let ch = 0; ch < c; ) {
      const one = ch + 4 > c;
      const p = base + (<usize>ch << 2);
      // Rows: tmp[i][k] = Σ_j A[k][j] dy[i][j], 4 x 6.
      for (let i = 0; i < 4; i++) a6(p + <usize>i * rs, cs, tmp + <usize>(i * 6) * 16, 16, one, false);
      const o = out + (<usize>ch << 2);
      for (let k = 0; k < 6; k++) a6(tmp + <usize>k * 16, 96, o + <usize>k * es, 6 * es, false, one);
      ch += one ? 1 : 4;
    }
  }
}

/** Both transforms of the filter gradient for tiles [t0, t0 + count): V from xp, Z from dyp (tile stride T). */
export function winogradGradPrepare(xp: usize, dyp: usize, tH: i32, tW: i32, cin: i32, cout: i32, t0: i32, count: i32, v: usize, z: usize, T: i32, tmp: usize): void {
  winogradInput(xp, tH, tW, cin, t0, count, v + ((<usize>t0 * <usize>cin) << 2), T, tmp);
  winogradGradOutput(dyp, tH, tW, cout, t0, count, z + ((<usize>t0 * <usize>cout) << 2), T, tmp);
}

/** dW[i][j][ci][co] = (Gᵀ S G)[i][j] for input channels [c0, c0 + cc), S [36][cin][cout]. tmp: 18 vectors. */
export function winogradGradFilter(s: usize, dw: usize, cin: i32, cout: i32, c0: i32, cc: i32, tmp: usize): void {
  const es = (<usize>cin * <usize>cout) << 2;
  for (let ci = c0; ci < c0 + cc; ci++) {
    for (let co = 0; co < cout; ) {
      const one = co + 4 > cout;
      const off = (<usize>ci * <usize>cout + <usize>co) << 2;
      // Rows: tmp[r][j] = Σ_c S[r][c] G[c][j], 6 x 3.
      for (let r = 0; r < 6; r++) gt3(s + off + <usize>(r * 6) * es, es, tmp + <usize>(r * 3) * 16, 16, false);
      // Columns: dW[i][j] = Σ_r G[r][i] tmp[r][j]; tap (i, j) is at (i * 3 + j) * cin * cout.
      for (let j = 0; j < 3; j++) gt3(tmp + <usize>j * 16, 48, dw + off + <usize>j * es, 3 * es, one);
      co += one ? 1 : 4;
    }
  }
}
