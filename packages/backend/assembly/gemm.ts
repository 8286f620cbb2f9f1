// C[M, N] = A[M, K] · B[K, N] (+ bias[N]) (then ReLU), f32, on tensors in place in tfjs-backend-wasm's
// memory. Unlike XNNPACK, nothing is packed first: in training every weight is new at every step,
// and XNNPACK's packing then costs more than the product itself.
//
// A(m, k) is at a + 4 * (m * sam + k * sak), so A and Aᵀ are read in place (sam, sak = K, 1 or 1, M).
// B(k, n) is at b + 4 * (k * ldb + n): rows must be contiguous (transpose Bᵀ first).
// C(m, n) is at c + 4 * (m * ldc + n).
//
// 4x8 register tiles (8 accumulators: x64 has 16 vector registers), then 4x4 and 4x1 for the last
// columns; K in blocks of KC so a B panel (KC x 8 floats) stays in L1 while the rows of A stream past it.

import { GEMM_KC } from './kernel-abi';
import { floats, gather4, mad, scatter4 } from './simd';

const KC: i32 = GEMM_KC;
const MC: i32 = 64;

/** The starting value of 4 accumulators: what C holds (later K blocks), else the bias, else 0. */
@inline function initTile(first: bool, c: usize, bias: usize, n: i32): v128 {
  if (!first) return v128.load(c);
  if (bias == 0) return f32x4.splat(0);
  return v128.load(bias + floats(n));
}

@inline function finish(v: v128, relu: bool): v128 {
  return relu ? f32x4.max(v, f32x4.splat(0)) : v;
}

// Each tile computes up to 4 rows: missing rows (the last row block) read a valid row again and
// are not stored, so the k loop always runs 4 independent chains (a 1-row loop is latency-bound).

@inline function rowPtr(p: usize, stride: usize, r: i32, rows: i32): usize {
  return p + stride * <usize>min(r, rows - 1);
}

function tile4x8(a: usize, sam: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, kb: i32, bias: usize, n: i32, first: bool, relu: bool, rows: i32): void {
  const rc = floats(ldc);
  const ra = floats(sam);
  const c0 = c;
  const c1 = rowPtr(c, rc, 1, rows);
  const c2 = rowPtr(c, rc, 2, rows);
  const c3 = rowPtr(c, rc, 3, rows);
  let x00 = initTile(first, c0, bias, n);
  let x01 = initTile(first, c0 + 16, bias, n + 4);
  let x10 = initTile(first, c1, bias, n);
  let x11 = initTile(first, c1 + 16, bias, n + 4);
  let x20 = initTile(first, c2, bias, n);
  let x21 = initTile(first, c2 + 16, bias, n + 4);
  let x30 = initTile(first, c3, bias, n);
  let x31 = initTile(first, c3 + 16, bias, n + 4);
  const ka = floats(sak);
  const kbStride = floats(ldb);
  let p0 = a;
  let p1 = rowPtr(a, ra, 1, rows);
  let p2 = rowPtr(a, ra, 2, rows);
  let p3 = rowPtr(a, ra, 3, rows);
  let pb = b;
  for (let k = 0; k < kb; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(p0);
    x00 = mad(x00, a0, b0);
    x01 = mad(x01, a0, b1);
    const a1 = v128.load32_splat(p1);
    x10 = mad(x10, a1, b0);
    x11 = mad(x11, a1, b1);
    const a2 = v128.load32_splat(p2);
    x20 = mad(x20, a2, b0);
    x21 = mad(x21, a2, b1);
    const a3 = v128.load32_splat(p3);
    x30 = mad(x30, a3, b0);
    x31 = mad(x31, a3, b1);
    p0 += ka;
    p1 += ka;
    p2 += ka;
    p3 += ka;
    pb += kbStride;
  }
  // Stores from the last row back: a missing row aliases a valid one, which the real row rewrites.
  if (rows > 3) {
    v128.store(c3, finish(x30, relu));
    v128.store(c3, finish(x31, relu), 16);
  }
  if (rows > 2) {
    v128.store(c2, finish(x20, relu));
    v128.store(c2, finish(x21, relu), 16);
  }
  if (rows > 1) {
    v128.store(c1, finish(x10, relu));
    v128.store(c1, finish(x11, relu), 16);
  }
  v128.store(c0, finish(x00, relu));
  v128.store(c0, finish(x01, relu), 16);
}

function tile4x4(a: usize, sam: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, kb: i32, bias: usize, n: i32, first: bool, relu: bool, rows: i32): void {
  const rc = floats(ldc);
  const ra = floats(sam);
  const c1 = rowPtr(c, rc, 1, rows);
  const c2 = rowPtr(c, rc, 2, rows);
  const c3 = rowPtr(c, rc, 3, rows);
  let x0 = initTile(first, c, bias, n);
  let x1 = initTile(first, c1, bias, n);
  let x2 = initTile(first, c2, bias, n);
  let x3 = initTile(first, c3, bias, n);
  const ka = floats(sak);
  const kbStride = floats(ldb);
  let p0 = a;
  let p1 = rowPtr(a, ra, 1, rows);
  let p2 = rowPtr(a, ra, 2, rows);
  let p3 = rowPtr(a, ra, 3, rows);
  let pb = b;
  for (let k = 0; k < kb; k++) {
    const bv = v128.load(pb);
    x0 = mad(x0, v128.load32_splat(p0), bv);
    x1 = mad(x1, v128.load32_splat(p1), bv);
    x2 = mad(x2, v128.load32_splat(p2), bv);
    x3 = mad(x3, v128.load32_splat(p3), bv);
    p0 += ka;
    p1 += ka;
    p2 += ka;
    p3 += ka;
    pb += kbStride;
  }
  if (rows > 3) v128.store(c3, finish(x3, relu));
  if (rows > 2) v128.store(c2, finish(x2, relu));
  if (rows > 1) v128.store(c1, finish(x1, relu));
  v128.store(c, finish(x0, relu));
}

/** One column, 4 rows at a time with the rows in the lanes: A's rows are gathered per k. */
function tile4x1(a: usize, sam: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, kb: i32, bias: usize, n: i32, first: bool, relu: bool, rows: i32): void {
  const rc = floats(ldc);
  const ra = floats(sam);
  const c1 = rowPtr(c, rc, 1, rows);
  const c2 = rowPtr(c, rc, 2, rows);
  const c3 = rowPtr(c, rc, 3, rows);
  let x: v128;
  if (!first) {
    x = gather4(c, c1, c2, c3);
  } else x = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + floats(n)));
  const ka = floats(sak);
  const kbStride = floats(ldb);
  let p0 = a;
  let p1 = rowPtr(a, ra, 1, rows);
  let p2 = rowPtr(a, ra, 2, rows);
  let p3 = rowPtr(a, ra, 3, rows);
  let pb = b;
  for (let k = 0; k < kb; k++) {
    const av = gather4(p0, p1, p2, p3);
    x = mad(x, av, v128.load32_splat(pb));
    p0 += ka;
    p1 += ka;
    p2 += ka;
    p3 += ka;
    pb += kbStride;
  }
  x = finish(x, relu);
  scatter4(x, c, c1, c2, c3, rows);
}

/**
 * One column when A's rows are contiguous (sak = 1): dot products vectorised along k, 4 rows at a
 * time, B's column gathered 4 values at a time (contiguous when ldb = 1, as for a 1-channel conv
 * input gradient). Ends with a horizontal sum per row.
 */
function tile4x1Dot(a: usize, sam: i32, b: usize, ldb: i32, c: usize, ldc: i32, kb: i32, bias: usize, n: i32, first: bool, relu: bool, rows: i32): void {
  const rc = floats(ldc);
  const ra = floats(sam);
  const bs = floats(ldb);
  const p1 = rowPtr(a, ra, 1, rows) - a;
  const p2 = rowPtr(a, ra, 2, rows) - a;
  const p3 = rowPtr(a, ra, 3, rows) - a;
  let x0 = f32x4.splat(0);
  let x1 = f32x4.splat(0);
  let x2 = f32x4.splat(0);
  let x3 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  const kv = kb & ~3;
  for (let k = 0; k < kv; k += 4) {
    const bv = ldb == 1 ? v128.load(pb) : gather4(pb, pb + bs, pb + 2 * bs, pb + 3 * bs);
    x0 = mad(x0, v128.load(pa), bv);
    x1 = mad(x1, v128.load(pa + p1), bv);
    x2 = mad(x2, v128.load(pa + p2), bv);
    x3 = mad(x3, v128.load(pa + p3), bv);
    pa += 16;
    pb += 4 * bs;
  }
  // Horizontal sums: lanes of x0..x3 become the 4 rows' totals.
  const s01 = f32x4.add(i32x4.shuffle(x0, x1, 0, 1, 4, 5), i32x4.shuffle(x0, x1, 2, 3, 6, 7));
  const s23 = f32x4.add(i32x4.shuffle(x2, x3, 0, 1, 4, 5), i32x4.shuffle(x2, x3, 2, 3, 6, 7));
  let x = f32x4.add(i32x4.shuffle(s01, s23, 0, 2, 4, 6), i32x4.shuffle(s01, s23, 1, 3, 5, 7));
  for (let k = kv; k < kb; k++) {
    const bk = load<f32>(pb);
    x = mad(x, gather4(pa, pa + p1, pa + p2, pa + p3), f32x4.splat(bk));
    pa += 4;
    pb += bs;
  }
  const c1 = rowPtr(c, rc, 1, rows);
  const c2 = rowPtr(c, rc, 2, rows);
  const c3 = rowPtr(c, rc, 3, rows);
  if (!first) {
    x = f32x4.add(x, gather4(c, c1, c2, c3));
  } else if (bias != 0) x = f32x4.add(x, f32x4.splat(load<f32>(bias + floats(n))));
  x = finish(x, relu);
  scatter4(x, c, c1, c2, c3, rows);
}

/** Columns n .. n + 7 of C for all M rows of A, from one contiguous kb x 8 panel of B at `pb`. */
@inline function panelColumns(ak: usize, sam: i32, sak: i32, pb: usize, c: usize, ldc: i32, M: i32, kb: i32, bias: usize, n: i32, first: bool, doRelu: bool): void {
  for (let m = 0; m < M; m += 4) {
    tile4x8(ak + ((<usize>m * <usize>sam) << 2), sam, sak, pb, 8, c + ((<usize>m * <usize>ldc + n) << 2), ldc, kb, bias, n, first, doRelu, min(4, M - m));
  }
}

/**
 * C = A·B (+ bias) (ReLU), or with `accumulate` C += A·B (then neither bias nor ReLU applies
 * twice: bias only when C starts from zero). `bias` 0 means none.
 */
export function gemm(a: usize, sam: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, K: i32, N: i32, bias: usize, relu: bool, accumulate: bool): void {
  gemmPacked(a, sam, sak, b, ldb, c, ldc, M, K, N, bias, relu, accumulate, 0);
}

/**
 * gemm, with each KC x 8 panel of B first copied to `pack` (GEMM_PACK_BYTES, 16-byte aligned;
 * 0: read B in place). A panel is read once per 4 rows of A: in place, its rows are `ldb` floats
 * apart, and at a power-of-two stride (512 floats: a Dense layer of 512 units) they fall in 2 of
 * L1's 64 sets and evict each other; packed, they are one contiguous 8 KB block that stays in L1.
 */
export function gemmPacked(a: usize, sam: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, K: i32, N: i32, bias: usize, relu: bool, accumulate: bool, pack: usize): void {
  // do-while: with K = 0 one pass with no k steps writes the bias (or zeros).
  let k0 = 0;
  const n8 = N & ~7;
  const bRow = floats(ldb);
  do {
    const kb = min(KC, K - k0);
    const first = k0 == 0 && !accumulate;
    const doRelu = relu && k0 + kb >= K;
    const ak = a + ((<usize>k0 * <usize>sak) << 2);
    const bk = b + ((<usize>k0 * <usize>ldb) << 2);
    if (pack != 0) {
      // Packed: a panel, then all rows of A past it.
      for (let n = 0; n < n8; n += 8) {
        let src = bk + floats(n);
        let dst = pack;
        for (let k = 0; k < kb; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += bRow;
          dst += 32;
        }
        panelColumns(ak, sam, sak, pack, c, ldc, M, kb, bias, n, first, doRelu);
      }
    }
    // Rows in blocks of MC so a block of A stays in cache while the B panels go past it.
    for (let m0 = 0; m0 < M; m0 += MC) {
      const mEnd = min(M, m0 + MC);
      let n = pack != 0 ? n8 : 0;
      for (; n + 8 <= N; n += 8) {
        for (let m = m0; m < mEnd; m += 4) {
          tile4x8(ak + ((<usize>m * <usize>sam) << 2), sam, sak, bk + floats(n), ldb, c + ((<usize>m * <usize>ldc + n) << 2), ldc, kb, bias, n, first, doRelu, min(4, mEnd - m));
        }
      }
      for (; n + 4 <= N; n += 4) {
        for (let m = m0; m < mEnd; m += 4) {
          tile4x4(ak + ((<usize>m * <usize>sam) << 2), sam, sak, bk + floats(n), ldb, c + ((<usize>m * <usize>ldc + n) << 2), ldc, kb, bias, n, first, doRelu, min(4, mEnd - m));
        }
      }
      for (; n < N; n++) {
        for (let m = m0; m < mEnd; m += 4) {
          if (sak == 1) tile4x1Dot(ak + ((<usize>m * <usize>sam) << 2), sam, bk + floats(n), ldb, c + ((<usize>m * <usize>ldc + n) << 2), ldc, kb, bias, n, first, doRelu, min(4, mEnd - m));
          else tile4x1(ak + ((<usize>m * <usize>sam) << 2), sam, sak, bk + floats(n), ldb, c + ((<usize>m * <usize>ldc + n) << 2), ldc, kb, bias, n, first, doRelu, min(4, mEnd - m));
        }
      }
    }
    k0 += KC;
  } while (k0 < K);
}

/**
 * gemm with B already in panels: panel p (columns 8p .. 8p + 7) is a contiguous [K][8] block at
 * bp + p * K * 32, so every panel read is sequential (what gemmPacked copies B into, done once by
 * the caller: the Winograd filter transform writes U this way). N must be a multiple of 8.
 */
export function gemmPanels(a: usize, sam: i32, sak: i32, bp: usize, c: usize, ldc: i32, M: i32, K: i32, N: i32, bias: usize, relu: bool, accumulate: bool): void {
  const panelBytes = <usize>K << 5;
  let k0 = 0;
  do {
    const kb = min(KC, K - k0);
    const first = k0 == 0 && !accumulate;
    const doRelu = relu && k0 + kb >= K;
    const ak = a + ((<usize>k0 * <usize>sak) << 2);
    for (let n = 0; n < N; n += 8) {
      const pb = bp + <usize>(n >> 3) * panelBytes + (<usize>k0 << 5);
      panelColumns(ak, sam, sak, pb, c, ldc, M, kb, bias, n, first, doRelu);
    }
    k0 += KC;
  } while (k0 < K);
}
