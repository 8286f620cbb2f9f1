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
import { gemm, gemmPanels } from './gemm';
import { floats, ld, madS, nmadS, st } from './simd';
import { WINOGRAD_E as E, WINOGRAD_TMP_BYTES as TMP, WinogradConvParams, WinogradGradPrepareParams } from './kernel-abi';

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
  st(dst, add(nmadS(mul(d0, 4), d2, 5), d4), stOne);
  st(dst + ds, madS(add(d3, d4), add(d1, d2), -4), stOne);
  st(dst + 2 * ds, madS(sub(d4, d3), sub(d1, d2), 4), stOne);
  st(dst + 3 * ds, madS(d42, d13, -2), stOne);
  st(dst + 4 * ds, madS(d42, d13, 2), stOne);
  st(dst + 5 * ds, add(nmadS(mul(d1, 4), d3, 5), d5), stOne);
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
  v128.store(dst + ds, madS(n12, n34, 2));
  v128.store(dst + 2 * ds, madS(p12, p34, 4));
  v128.store(dst + 3 * ds, add(madS(n12, n34, 8), m5));
}

/** A on 4 vectors: 6 results (the transposed output transform, for dY). */
@inline function a6(src: usize, ss: usize, dst: usize, ds: usize, ldOne: bool, stOne: bool): void {
  const y0 = ld(src, ldOne);
  const y1 = ld(src + ss, ldOne);
  const y2 = ld(src + 2 * ss, ldOne);
  const y3 = ld(src + 3 * ss, ldOne);
  const p02 = add(y0, y2);
  const p13 = add(y1, y3);
  const q02 = madS(y0, y2, 4);
  const q13 = madS(mul(y1, 2), y3, 8);
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
  const q02 = madS(mul(g0, 1.0 / 24), g2, 1.0 / 6);
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
  st(dst, madS(sub(mul(s0, 0.25), p12), p34, 1.0 / 24), stOne);
  st(dst + ds, madS(n21, n34, 1.0 / 12), stOne);
  st(dst + 2 * ds, add(sub(mul(p34, 1.0 / 6), p12), s5), stOne);
}

/**
 * U[e] = (G g Gᵀ)[e] for input channels [c0, c0 + cc) of w [3, 3, cin, cout]; with `flip` the taps
 * are read rotated by 180° (the input gradient, w then has its channel axes swapped). U[e] is
 * [cin][cout], or, when cout is a multiple of 8 (uPanels), in gemmPanels' layout [cout / 8][cin][8]
 * so the 36 products read it sequentially. tmp: 18 vectors of scratch.
 */
/** Whether U is stored in panels of 8 output channels (see winogradFilter). */
@inline function uPanels(cout: i32): bool {
  return (cout & 7) == 0;
}

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
      const at = uPanels(cout) ? (co >> 3) * cin * 8 + ci * 8 + (co & 7) : ci * cout + co;
      const o = u + floats(at);
      for (let c = 0; c < 6; c++) {
        const p = tmp + <usize>c * 16;
        g6(p, p + 96, p + 192, o + <usize>c * eStride, 6 * eStride, false, one);
      }
      co += one ? 1 : 4;
    }
  }
}

/**
 * Copies the size x size window at (y0, x0) of image n of x [batch, H, W, c], channels [ch, ch + 4)
 * (one with `one`), into `patch` (vectors, row-major), zeros outside the image: edge tiles.
 */
@inline function loadPatch(x: usize, n: i32, H: i32, W: i32, c: i32, y0: i32, x0: i32, ch: i32, size: i32, one: bool, patch: usize): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < size; i++) {
    const y = y0 + i;
    for (let j = 0; j < size; j++) {
      const xx = x0 + j;
      const inside = y >= 0 && y < H && xx >= 0 && xx < W;
      // Clamped, so the load is always in the tensor (it may become a select, which loads both ways).
      const p = x + ((<usize>((n * H + min(max(y, 0), H - 1)) * W + min(max(xx, 0), W - 1)) * <usize>c + <usize>ch) << 2);
      const val = ld(p, one);
      v128.store(patch + <usize>(i * size + j) * 16, inside ? val : zero);
    }
  }
}

/**
 * One tile's transform for channels [ch, ch + 4) (one with `one`): with `input`, V = Bᵀ d B of a
 * 6x6 input window; else Z = A dY Aᵀ of a 4x4 output-gradient window. `input` and `one` are
 * constants at each call, so the branches fold.
 */
@inline function tileGroup(x: usize, base: usize, inside: bool, n: i32, H: i32, W: i32, c: i32, y0: i32, x0: i32, ch: i32, rs: usize, cs: usize, o: usize, es: usize, tmp: usize, input: bool, one: bool): void {
  const size = input ? 6 : 4;
  // Rows: tmp[i][k] = Σ_j T[k][j] d[i][j] (T = Bᵀ or A), size x 6.
  if (inside) {
    const p = base + floats(ch);
    for (let i = 0; i < size; i++) {
      if (input) bt6(p + <usize>i * rs, cs, tmp + <usize>(i * 6) * 16, 16, one, false);
      else a6(p + <usize>i * rs, cs, tmp + <usize>(i * 6) * 16, 16, one, false);
    }
  } else {
    const patch = tmp + 576;
    loadPatch(x, n, H, W, c, y0, x0, ch, size, one, patch);
    for (let i = 0; i < size; i++) {
      if (input) bt6(patch + <usize>(i * size) * 16, 16, tmp + <usize>(i * 6) * 16, 16, false, false);
      else a6(patch + <usize>(i * size) * 16, 16, tmp + <usize>(i * 6) * 16, 16, false, false);
    }
  }
  // Columns: out[r * 6 + k] = Σ_i T[r][i] tmp[i][k].
  const oc = o + floats(ch);
  for (let k = 0; k < 6; k++) {
    if (input) bt6(tmp + <usize>k * 16, 96, oc + <usize>k * es, 6 * es, false, one);
    else a6(tmp + <usize>k * 16, 96, oc + <usize>k * es, 6 * es, false, one);
  }
}

/**
 * The transforms of tiles [t0, t0 + count) of a [batch, tH, tW] grid over x [batch, H, W, c] read
 * in place, into out[e][t - t0][ch] (tile stride ldT). With `input`, tile (ty, tx)'s 6x6 window
 * starts at (4 ty - top, 4 tx - left); else its 4x4 window at (4 ty, 4 tx). Zeros outside the
 * image (no padded copy). tmp: 72 vectors.
 */
@inline function transformTiles(x: usize, H: i32, W: i32, c: i32, top: i32, left: i32, tH: i32, tW: i32, t0: i32, count: i32, out: usize, ldT: i32, tmp: usize, input: bool): void {
  const size = input ? 6 : 4;
  const cs = floats(c);
  const rs = <usize>W * cs;
  const es = (<usize>ldT * <usize>c) << 2;
  const per = tH * tW;
  for (let t = t0; t < t0 + count; t++) {
    const n = t / per;
    const r = t - n * per;
    const ty = r / tW;
    const y0 = ty * 4 - top;
    const x0 = (r - ty * tW) * 4 - left;
    const inside = y0 >= 0 && x0 >= 0 && y0 + size <= H && x0 + size <= W;
    const base = inside ? x + ((<usize>((n * H + y0) * W + x0) * <usize>c) << 2) : 0;
    const o = out + ((<usize>(t - t0) * <usize>c) << 2);
    let ch = 0;
    for (; ch + 4 <= c; ch += 4) tileGroup(x, base, inside, n, H, W, c, y0, x0, ch, rs, cs, o, es, tmp, input, false);
    for (; ch < c; ch++) tileGroup(x, base, inside, n, H, W, c, y0, x0, ch, rs, cs, o, es, tmp, input, true);
  }
}

/** V[e][t - t0][ch] = (Bᵀ d B)[e] for tiles [t0, t0 + count) of x padded by top/left (see transformTiles). */
function winogradInput(x: usize, H: i32, W: i32, c: i32, top: i32, left: i32, tH: i32, tW: i32, t0: i32, count: i32, v: usize, ldT: i32, tmp: usize): void {
  transformTiles(x, H, W, c, top, left, tH, tW, t0, count, v, ldT, tmp, true);
}

/** Z[e][t - t0][co] = (A dY Aᵀ)[e] for tiles [t0, t0 + count) of dy [batch, oH, oW, c], zeros beyond the output. */
function winogradGradOutput(dy: usize, oH: i32, oW: i32, c: i32, tH: i32, tW: i32, t0: i32, count: i32, z: usize, ldT: i32, tmp: usize): void {
  transformTiles(dy, oH, oW, c, 0, 0, tH, tW, t0, count, z, ldT, tmp, false);
}

/** One tile's output transform for channels [co, co + 4) (one with `one`). */
@inline function outputGroup(src: usize, es: usize, dst: usize, W: i32, cout: i32, co: i32, rowsHere: i32, colsHere: i32, bias: usize, relu: bool, tmp: usize, one: bool): void {
  const zero = f32x4.splat(0);
  const s = src + floats(co);
  // Rows: tmp[i][k] = Σ_j Aᵀ[k][j] M[i][j], 6 x 4. The last 1-3 channels load whole vectors from
  // M (our scratch, with slack at its end) and store one lane.
  for (let i = 0; i < 6; i++) at4(s + <usize>(i * 6) * es, es, tmp + <usize>(i * 4) * 16, 16);
  const b = bias != 0 ? ld(bias + floats(co), one) : zero;
  const y = tmp + 384;
  // Columns: y[r][k] = Σ_i Aᵀ[r][i] tmp[i][k].
  for (let k = 0; k < 4; k++) at4(tmp + <usize>k * 16, 64, y + <usize>k * 16, 64);
  const d = dst + floats(co);
  const rowStride = (<usize>W * <usize>cout) << 2;
  const colStride = floats(cout);
  for (let r = 0; r < rowsHere; r++) {
    for (let k = 0; k < colsHere; k++) {
      let val = add(v128.load(y + <usize>(r * 4 + k) * 16), b);
      if (relu) val = f32x4.max(val, zero);
      st(d + <usize>r * rowStride + <usize>k * colStride, val, one);
    }
  }
}

/**
 * The output tiles [t0, t0 + count) from M[e][t - t0][co] (tile stride ldT): out = Aᵀ M A (+ bias)
 * (ReLU), clipped to the [batch, H, W, cout] output. tmp: 40 vectors.
 */
function winogradOutput(m: usize, ldT: i32, t0: i32, count: i32, tH: i32, tW: i32, cout: i32, out: usize, H: i32, W: i32, bias: usize, relu: bool, tmp: usize): void {
  const es = (<usize>ldT * <usize>cout) << 2;
  const per = tH * tW;
  for (let t = t0; t < t0 + count; t++) {
    const n = t / per;
    const r = t - n * per;
    const y0 = (r / tW) * 4;
    const x0 = (r - (r / tW) * tW) * 4;
    const rowsHere = min(4, H - y0);
    const colsHere = min(4, W - x0);
    const src = m + ((<usize>(t - t0) * <usize>cout) << 2);
    const dst = out + ((<usize>((n * H + y0) * W + x0) * <usize>cout) << 2);
    let co = 0;
    for (; co + 4 <= cout; co += 4) outputGroup(src, es, dst, W, cout, co, rowsHere, colsHere, bias, relu, tmp, false);
    for (; co < cout; co++) outputGroup(src, es, dst, W, cout, co, rowsHere, colsHere, bias, relu, tmp, true);
  }
}

/**
 * One chunk of a forward Winograd convolution: tiles [t0, t0 + count) in blocks of `tb`.
 * params: a winogradConv block (scripts/kernel-table.mjs).
 * scratch: TMP bytes, then V [36][tb][cin], then M [36][tb][cout].
 */
export function winogradConv(params: usize, t0: i32, count: i32, scratch: usize): void {
  const p = changetype<WinogradConvParams>(params);
  const x = p.x;
  const H = p.H;
  const W = p.W;
  const cin = p.cin;
  const top = p.top;
  const left = p.left;
  const tH = p.tH;
  const tW = p.tW;
  const u = p.u;
  const cout = p.cout;
  const out = p.out;
  const outH = p.outH;
  const outW = p.outW;
  const bias = p.bias;
  const relu = p.relu;
  const tb = p.tb;
  const tmp = scratch;
  const v = scratch + TMP;
  const m = v + ((<usize>E * <usize>tb * <usize>cin) << 2);
  const uStride = (<usize>cin * <usize>cout) << 2;
  for (let b0 = t0; b0 < t0 + count; b0 += tb) {
    const nb = min(tb, t0 + count - b0);
    winogradInput(x, H, W, cin, top, left, tH, tW, b0, nb, v, tb, tmp);
    for (let e = 0; e < E; e++) {
      const ve = v + ((<usize>(e * tb) * <usize>cin) << 2);
      const me = m + ((<usize>(e * tb) * <usize>cout) << 2);
      if (uPanels(cout)) gemmPanels(ve, cin, 1, u + <usize>e * uStride, me, cout, nb, cin, cout, 0, false, false);
      else gemm(ve, cin, 1, u + <usize>e * uStride, cout, me, cout, nb, cin, cout, 0, false, false);
    }
    winogradOutput(m, tb, b0, nb, tH, tW, cout, out, outH, outW, bias, relu, tmp);
  }
}

/**
 * Both transforms of the filter gradient for tiles [t0, t0 + count): V from x (padded by top/left,
 * read in place), Z from dy; tile stride T. params: a winogradGradPrepare block (scripts/kernel-table.mjs).
 */
export function winogradGradPrepare(params: usize, t0: i32, count: i32, tmp: usize): void {
  const p = changetype<WinogradGradPrepareParams>(params);
  const x = p.x;
  const H = p.H;
  const W = p.W;
  const cin = p.cin;
  const top = p.top;
  const left = p.left;
  const dy = p.dy;
  const oH = p.oH;
  const oW = p.oW;
  const cout = p.cout;
  const tH = p.tH;
  const tW = p.tW;
  const v = p.v;
  const z = p.z;
  const T = p.T;
  winogradInput(x, H, W, cin, top, left, tH, tW, t0, count, v + ((<usize>t0 * <usize>cin) << 2), T, tmp);
  winogradGradOutput(dy, oH, oW, cout, tH, tW, t0, count, z + ((<usize>t0 * <usize>cout) << 2), T, tmp);
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
