import { describe, expect, it } from 'vitest';
import {
  type GemmPackedArgs,
  GEMM_PACK_BYTES,
  POOLED_KERNEL_ARGS,
  type SimdKernels,
  WINOGRAD_CONV_PARAMS_BYTES,
  WINOGRAD_E,
  WINOGRAD_GRAD_PREPARE_PARAMS_BYTES,
  WINOGRAD_TMP_BYTES,
  writeWinogradConvParams,
  writeWinogradGradPrepareParams,
} from './kernel-abi';
import { simdBuild } from './simd-module';
import { SIMD_WASM, SIMD_WASM_RELAXED } from './simd-wasm';

// Each kernel export called directly, on enumerated edge shapes (as XNNPACK's GEMM microkernel
// testers walk m, n, k of 1, around the tile sizes and around the K block), against plain JS
// references in float64, in both builds (plain SIMD; relaxed SIMD, which fuses multiply-adds).
// Edges of our tiles: 4 rows, 8 / 4 / 1 columns, 4-float vectors, K blocks of 256.

const EDGES = [1, 3, 4, 7, 8, 9, 256, 257];
/** 2^-24: float32's unit roundoff. */
const U = 2 ** -24;

/** A fresh instance of one build on its own memory, with a bump allocator; guard floats around every buffer catch stray writes. */
function harness(wasm: string) {
  const memory = new WebAssembly.Memory({ initial: 512 });
  const bytes = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, abort: () => expect.fail('kernel aborted') } }).exports;
  const fn = (name: keyof SimdKernels) => exports[name] as (...args: number[]) => number;
  let top = 1024;
  const GUARD = 4;
  const guards: [number, number][] = [];
  const heap = () => new Float32Array(memory.buffer);
  return {
    call: (name: keyof SimdKernels, ...args: number[]) => fn(name)(...args),
    /** Copies `values` (or n zeros) into fresh 16-byte aligned memory; returns the byte offset. */
    put(values: ArrayLike<number> | number): number {
      const n = typeof values === 'number' ? values : values.length;
      const at = top + 16 * GUARD;
      heap().fill(-77, top / 4, top / 4 + GUARD * 4);
      if (typeof values !== 'number') heap().set(values, at / 4);
      else heap().fill(0, at / 4, at / 4 + n);
      const end = at + 4 * n;
      heap().fill(-77, end / 4, end / 4 + GUARD * 4);
      guards.push([top, end]);
      top = Math.ceil((end + 16 * GUARD) / 16) * 16;
      return at;
    },
    read: (at: number, n: number) => Float64Array.from(heap().subarray(at / 4, at / 4 + n)),
    buffer: () => memory.buffer,
    /** Whether every guard is intact. */
    guardsIntact: () =>
      guards.every(
        ([lo, end]) =>
          heap()
            .subarray(lo / 4, lo / 4 + 16)
            .every((v) => v === -77) &&
          heap()
            .subarray(end / 4, end / 4 + 16)
            .every((v) => v === -77),
      ),
    reset: () => {
      top = 1024;
      guards.length = 0;
    },
  };
}

type Harness = ReturnType<typeof harness>;

simdBuild(); // sets V8's relaxed-SIMD flag on Node 20 before the relaxed build compiles
const builds: [string, Harness][] = [
  ['simd', harness(SIMD_WASM)],
  ['relaxed-simd', harness(SIMD_WASM_RELAXED)],
];

/** Reproducible values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |got - want| / max(1, |want|). */
function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}

/** Direct NHWC convolution in float64: x [batch, h, w, cin] read at (y + i - top, x + j - left), zeros outside; filter [kh, kw, cin, cout] (rotated 180° with flip). */
function convReference(
  x: Float32Array,
  [batch, h, w, cin]: number[],
  f: Float32Array,
  [kh, kw, , cout]: number[],
  top: number,
  left: number,
  outH: number,
  outW: number,
  flip = false,
) {
  const out = new Float64Array(batch * outH * outW * cout);
  for (let n = 0; n < batch; n++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const [yy, xx] = [y + i - top, xo + j - left];
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            const tap = flip ? (kh - 1 - i) * kw + (kw - 1 - j) : i * kw + j;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[((n * h + yy) * w + xx) * cin + ci];
              for (let co = 0; co < cout; co++) out[((n * outH + y) * outW + xo) * cout + co] += xv * f[(tap * cin + ci) * cout + co];
            }
          }
  return out;
}

/** dW [kh, kw, cin, cout] = Σ over n, y < oH, x < oW of x[n, y + i - top, x + j - left, ci] · dy[n, y, x, co] (zeros outside x), in float64. */
function filterGradReference(
  x: Float32Array,
  [batch, h, w, cin]: number[],
  dy: Float32Array,
  [oH, oW, cout, ldDy]: number[],
  kh: number,
  kw: number,
  top: number,
  left: number,
) {
  const out = new Float64Array(kh * kw * cin * cout);
  for (let n = 0; n < batch; n++)
    for (let y = 0; y < oH; y++)
      for (let xo = 0; xo < oW; xo++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const [yy, xx] = [y + i - top, xo + j - left];
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[((n * h + yy) * w + xx) * cin + ci];
              for (let co = 0; co < cout; co++) out[((i * kw + j) * cin + ci) * cout + co] += xv * dy[((n * oH + y) * oW + xo) * ldDy + co];
            }
          }
  return out;
}

/** [m, k, n]: each dimension over the edges with the others small, then a few large ones. */
const gemmShapes: [number, number, number][] = [
  ...EDGES.map((m): [number, number, number] => [m, 9, 7]),
  ...EDGES.map((k): [number, number, number] => [5, k, 9]),
  ...EDGES.map((n): [number, number, number] => [7, 3, n]),
  [0, 5, 8],
  [4, 0, 9],
  [257, 257, 9],
  [9, 257, 257],
  [256, 256, 8],
  [65, 513, 17],
];

interface GemmCase {
  transA: boolean;
  accumulate: boolean;
  bias: boolean;
  relu: boolean;
  pack: boolean;
}

const flagCases: GemmCase[] = [];
for (const transA of [false, true])
  for (const accumulate of [false, true])
    for (const [bias, relu] of [
      [false, false],
      [true, true],
      [true, false],
    ])
      for (const pack of [false, true]) flagCases.push({ transA, accumulate, bias, relu, pack });

/** gemmPacked on [m, k, n] with these flags, against float64; C and B with row strides beyond n (untouched padding). */
function checkGemm(h: Harness, [m, k, n]: [number, number, number], f: GemmCase, seed: number): void {
  h.reset();
  const [ldb, ldc] = [n + 3, n + 5];
  const a = values(m * k, seed);
  const b = values(k * ldb, seed + 1);
  const c0 = values(m * ldc, seed + 2);
  const bias = values(n, seed + 3);
  const [sam, sak] = f.transA ? [1, m] : [k, 1];
  const pc = h.put(c0);
  const args: GemmPackedArgs = {
    a: h.put(a),
    sam,
    sak,
    b: h.put(b),
    ldb,
    c: pc,
    ldc,
    M: m,
    K: k,
    N: n,
    bias: f.bias ? h.put(bias) : 0,
    relu: f.relu,
    accumulate: f.accumulate,
    pack: f.pack ? h.put(GEMM_PACK_BYTES / 4) : 0,
  };
  h.call('gemmPacked', ...POOLED_KERNEL_ARGS.gemmPacked(args));
  const out = h.read(pc, m * ldc);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = out[i * ldc + j];
      if (j >= n) {
        // Padding of C past column n: never written.
        if (got !== c0[i * ldc + j]) throw new Error(`C[${i}, ${j}] (padding) was written`);
        continue;
      }
      let sum = f.accumulate ? c0[i * ldc + j] : f.bias ? bias[j] : 0;
      let mag = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const prod = a[i * sam + p * sak] * b[p * ldb + j];
        sum += prod;
        mag += Math.abs(prod);
      }
      const want = f.relu ? Math.max(0, sum) : sum;
      // Any summation order stays within (k + 2)·u·Σ|terms| of the exact value.
      const err = Math.abs(got - want) / ((k + 2) * U * mag + 1e-30);
      if (!(err <= 1)) throw new Error(`C[${i}, ${j}] = ${got}, expected ${want} (error ${err.toFixed(2)} of the bound)`);
      worst = Math.max(worst, err);
    }
  }
  expect(h.guardsIntact(), 'a write outside the buffers').toBe(true);
}

describe.each(builds)('kernel exports, %s build', (_, h) => {
  it.each(gemmShapes)('gemmPacked m %i, k %i, n %i: every flag (Aᵀ in place, accumulate, bias, ReLU, packed B)', (m, k, n) => {
    for (const [i, f] of flagCases.entries()) {
      try {
        checkGemm(h, [m, k, n], f, 17 * i + m + 3 * k + 7 * n);
      } catch (error) {
        throw new Error(`${JSON.stringify(f)}: ${(error as Error).message}`);
      }
    }
  });

  it('gemm is gemmPacked without packing', () => {
    h.reset();
    const [m, k, n] = [9, 257, 13];
    const a = h.put(values(m * k, 1));
    const b = h.put(values(k * n, 2));
    const [c1, c2] = [h.put(m * n), h.put(m * n)];
    h.call('gemm', a, k, 1, b, n, c1, n, m, k, n, 0, 0, 0);
    h.call('gemmPacked', a, k, 1, b, n, c2, n, m, k, n, 0, 0, 0, 0);
    expect(Array.from(h.read(c1, m * n))).toEqual(Array.from(h.read(c2, m * n)));
  });

  it.each(EDGES.filter((e) => e < 256).flatMap((rows) => [1, 4, 9, 33, 257].map((cols) => [rows, cols])))(
    'transpose2d %i x %i, whole and in row ranges',
    (rows, cols) => {
      h.reset();
      const x = values(rows * cols, rows * 1000 + cols);
      const px = h.put(x);
      const out = h.put(rows * cols);
      // Two row ranges, split where the kernel's 4-row and 32-row blocks do not align.
      const cut = Math.min(rows, 5);
      h.call('transpose2d', px, out, rows, cols, 0, cut);
      h.call('transpose2d', px, out, rows, cols, cut, rows - cut);
      const got = h.read(out, rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(got[c * rows + r]).toBe(x[r * cols + c]);
      expect(h.guardsIntact()).toBe(true);
    },
  );

  it.each(EDGES)('reluGrad n %i (vector body and scalar tail, NaN kept)', (n) => {
    h.reset();
    const x = values(n, n);
    x[n >> 1] = Number.NaN;
    const dy = values(n, n + 1);
    const dx = h.put(n);
    h.call('reluGrad', h.put(dy), h.put(x), dx, n);
    const got = h.read(dx, n);
    for (let i = 0; i < n; i++) expect(got[i]).toBe(Number.isNaN(x[i]) ? Number.NaN : x[i] > 0 ? dy[i] : 0);
    expect(h.guardsIntact()).toBe(true);
  });

  it.each(EDGES)('adamUpdate n %i (vector body and scalar tail), coupled and decoupled weight decay', (n) => {
    for (const decoupled of [false, true]) {
      h.reset();
      const [w, g, m] = [values(n, 1), values(n, 2), values(n, 3)];
      const v = values(n, 4).map(Math.abs);
      const [lr, beta1, beta2, eps, step, wd] = [0.01, 0.9, 0.999, 1e-7, 3, 0.05];
      const s = {
        beta1,
        beta2,
        ob1: 1 - beta1,
        ob2: 1 - beta2,
        stepSize: lr / (1 - beta1 ** step),
        sqrtC2: Math.sqrt(1 - beta2 ** step),
        keep: decoupled ? 1 - lr * wd : 1,
        l2: decoupled ? 0 : wd,
      };
      const [w2, m2, v2] = [h.put(n), h.put(n), h.put(n)];
      h.call('adamUpdate', h.put(w), h.put(g), h.put(m), h.put(v), w2, m2, v2, n, s.beta1, s.beta2, s.ob1, s.ob2, eps, s.stepSize, s.sqrtC2, s.keep, s.l2);
      const [gw, gm, gv] = [h.read(w2, n), h.read(m2, n), h.read(v2, n)];
      for (let i = 0; i < n; i++) {
        const grad = g[i] + s.l2 * w[i];
        const mi = beta1 * m[i] + s.ob1 * grad;
        const vi = beta2 * v[i] + s.ob2 * grad * grad;
        const want = w[i] * s.keep - (s.stepSize * mi) / (Math.sqrt(vi) / s.sqrtC2 + eps);
        for (const [got, exact] of [
          [gm[i], mi],
          [gv[i], vi],
          [gw[i], want],
        ])
          expect(Math.abs(got - exact), `n ${n}, element ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(exact)));
      }
      expect(h.guardsIntact()).toBe(true);
    }
  });

  it.each([4, 8, 12, 256].flatMap((c) => [1, 3, 31, 32, 33, 257].map((rows) => [rows, c])))(
    'columnSum of [%i, %i] (f32 blocks of 32 rows into f64 totals)',
    (rows, c) => {
      h.reset();
      const x = values(rows * c, rows + c);
      const out = h.put(c);
      h.call('columnSum', h.put(x), out, rows, c, h.put(3 * c));
      const got = h.read(out, c);
      for (let j = 0; j < c; j++) {
        let sum = 0;
        let mag = 0;
        for (let r = 0; r < rows; r++) {
          sum += x[r * c + j];
          mag += Math.abs(x[r * c + j]);
        }
        expect(Math.abs(got[j] - sum)).toBeLessThanOrEqual(34 * U * mag + 1e-30);
      }
      expect(h.guardsIntact()).toBe(true);
    },
  );

  it.each([1, 3, 4, 7, 8, 9, 31, 32, 33, 257].flatMap((rows) => [4, 12].map((c) => [rows, c])))(
    'batchNormTrain and batchNormTrainGrad, %i rows x %i channels',
    (rows, c) => {
      h.reset();
      const x = values(rows * c, rows).map((v) => 3 + 2 * v);
      const [gamma, beta, dy] = [values(c, 5).map((v) => 1 + 0.2 * v), values(c, 6), values(rows * c, 7)];
      const eps = 1e-3;
      const [px, pg] = [h.put(x), h.put(gamma)];
      const [y, mean, invStd] = [h.put(rows * c), h.put(c), h.put(c)];
      h.call('batchNormTrain', px, pg, h.put(beta), y, mean, invStd, rows, c, eps, h.put(8 * c));
      const mu = new Float64Array(c);
      const inv = new Float64Array(c);
      for (let k = 0; k < c; k++) {
        let [s1, s2] = [0, 0];
        for (let r = 0; r < rows; r++) [s1, s2] = [s1 + x[r * c + k], s2 + x[r * c + k] ** 2];
        mu[k] = s1 / rows;
        inv[k] = 1 / Math.sqrt(Math.max(0, s2 / rows - mu[k] ** 2) + eps);
      }
      const yRef = Float64Array.from(x, (v, i) => gamma[i % c] * (v - mu[i % c]) * inv[i % c] + beta[i % c]);
      // The variance is E[x²] - E[x]² from float32 block sums: its error is up to 32 u E[x²], large
      // against var + eps when the variance is tiny (1 row: 0).
      let cond = 0;
      for (let k = 0; k < c; k++) cond = Math.max(cond, (mu[k] ** 2 + 1 / inv[k] ** 2) * inv[k] ** 2);
      const tol = 1e-4 + 32 * U * cond;
      expect(relErr(h.read(mean, c), mu)).toBeLessThan(1e-5);
      expect(relErr(h.read(invStd, c), inv)).toBeLessThan(tol);
      expect(relErr(h.read(y, rows * c), yRef)).toBeLessThan(tol);
      // The gradient, from the kernel's own mean and invStd (as the training step uses them).
      const [m32, i32] = [Float32Array.from(h.read(mean, c)), Float32Array.from(h.read(invStd, c))];
      const [dx, dGamma, dBeta] = [h.put(rows * c), h.put(c), h.put(c)];
      h.call('batchNormTrainGrad', h.put(dy), px, pg, mean, invStd, dx, dGamma, dBeta, rows, c, h.put(8 * c));
      const [sumDy, sumDyXhat] = [new Float64Array(c), new Float64Array(c)];
      for (let i = 0; i < rows * c; i++) {
        sumDy[i % c] += dy[i];
        sumDyXhat[i % c] += dy[i] * (x[i] - m32[i % c]) * i32[i % c];
      }
      const dxRef = Float64Array.from(dy, (g, i) => {
        const k = i % c;
        return ((gamma[k] * i32[k]) / rows) * (rows * g - sumDy[k] - (x[i] - m32[k]) * i32[k] * sumDyXhat[k]);
      });
      expect(relErr(h.read(dBeta, c), sumDy)).toBeLessThan(1e-4);
      expect(relErr(h.read(dGamma, c), sumDyXhat)).toBeLessThan(1e-4);
      expect(relErr(h.read(dx, rows * c), dxRef)).toBeLessThan(1e-4);
      expect(h.guardsIntact()).toBe(true);
    },
  );

  it.each([1, 3, 4, 9].flatMap((rows) => [4, 8].flatMap((c) => [true, false].map((affine): [number, number, boolean] => [rows, c, affine]))))(
    'batchNormInference, %i rows x %i channels, scale and offset given: %s',
    (rows, c, affine) => {
      h.reset();
      const x = values(rows * c, rows + c);
      const [mean, variance, offset, scale] = [values(c, 1), values(c, 2).map((v) => 1 + Math.abs(v)), values(c, 3), values(c, 4)];
      const y = h.put(rows * c);
      h.call(
        'batchNormInference',
        h.put(x),
        h.put(mean),
        h.put(variance),
        affine ? h.put(offset) : 0,
        affine ? h.put(scale) : 0,
        y,
        rows,
        c,
        1e-3,
        h.put(2 * c),
      );
      const want = Float64Array.from(x, (v, i) => {
        const k = i % c;
        return ((v - mean[k]) * (affine ? scale[k] : 1)) / Math.sqrt(variance[k] + 1e-3) + (affine ? offset[k] : 0);
      });
      expect(relErr(h.read(y, rows * c), want)).toBeLessThan(1e-5);
      expect(h.guardsIntact()).toBe(true);
    },
  );

  it.each([
    [1, 2, 2, 4, 2],
    [2, 4, 6, 8, 2],
    [1, 7, 9, 4, 3],
    [2, 9, 8, 12, 3],
    [1, 5, 5, 4, 2],
  ])('maxPoolGrad batch %i, %i x %i x %i, %i x %i windows: the first maximum takes the gradient', (batch, hh, ww, c, f) => {
    h.reset();
    // Rounded values make ties; a window runs past the edge of none (oH = floor(H / f)).
    const x = values(batch * hh * ww * c, hh * ww).map((v) => Math.round(3 * v));
    const [oH, oW] = [Math.floor(hh / f), Math.floor(ww / f)];
    const dy = values(batch * oH * oW * c, 9);
    const dx = h.put(batch * hh * ww * c);
    h.call('maxPoolGrad', h.put(dy), h.put(x), dx, batch, hh, ww, c, oH, oW, f, f);
    const want = new Float64Array(batch * hh * ww * c);
    for (let n = 0; n < batch; n++)
      for (let oy = 0; oy < oH; oy++)
        for (let ox = 0; ox < oW; ox++)
          for (let k = 0; k < c; k++) {
            let best = -1;
            for (let i = 0; i < f; i++)
              for (let j = 0; j < f; j++) {
                const at = ((n * hh + oy * f + i) * ww + ox * f + j) * c + k;
                if (best < 0 || x[at] > x[best]) best = at;
              }
            want[best] += dy[((n * oH + oy) * oW + ox) * c + k];
          }
    expect(Array.from(h.read(dx, want.length))).toEqual(Array.from(want));
    expect(h.guardsIntact()).toBe(true);
  });

  it.each([
    [1, 1, 1, 1, 4],
    [1, 3, 3, 4, 7],
    [2, 3, 1, 9, 8],
    [1, 5, 3, 3, 9],
    [2, 2, 2, 8, 1],
  ])('conv2dRows batch %i, %i x %i filter, cin %i, cout %i: forward (bias, ReLU) and flipped', (batch, kh, kw, cin, cout) => {
    for (const flip of [false, true]) {
      h.reset();
      const [hq, wq] = [kh + 4, kw + 6];
      const [outH, outW] = [hq - kh + 1, wq - kw + 1];
      const x = values(batch * hq * wq * cin, cin);
      const w = values(kh * kw * cin * cout, cout);
      const bias = values(cout, 3);
      const out = h.put(batch * outH * outW * cout);
      h.call(
        'conv2dRows',
        ...POOLED_KERNEL_ARGS.conv2dRows({ xp: h.put(x), batch, Hq: hq, Wq: wq, cin, w: h.put(w), kh, kw, flip, out, cout, bias: h.put(bias), relu: true }),
      );
      const ref = convReference(x, [batch, hq, wq, cin], w, [kh, kw, cin, cout], 0, 0, outH, outW, flip).map((v, i) => Math.max(0, v + bias[i % cout]));
      expect(relErr(h.read(out, ref.length), ref), `flip ${flip}`).toBeLessThan(1e-5);
      expect(h.guardsIntact()).toBe(true);
    }
  });

  // The whole forward Winograd path through the exports: winogradFilter writes U, the TS writer
  // fills the parameter block that winogradConv reads field by field (generated on both sides).
  it.each([
    [1, 1, 1, 16, 8, 1, 1],
    [1, 4, 4, 16, 4, 1, 1],
    [1, 5, 7, 17, 9, 1, 1],
    [2, 9, 8, 19, 16, 0, 0],
    [1, 8, 3, 20, 1, 1, 1],
  ])('winogradFilter + winogradConv batch %i, %i x %i, cin %i, cout %i, padding %i/%i', (batch, hh, ww, cin, cout, top, left) => {
    h.reset();
    const x = values(batch * hh * ww * cin, hh + cin);
    const w = values(9 * cin * cout, cout).map((v) => 0.3 * v);
    const bias = values(cout, 2);
    const [outH, outW] = top ? [hh, ww] : [hh - 2, ww - 2];
    const [tH, tW] = [Math.ceil(outH / 4), Math.ceil(outW / 4)];
    const u = h.put(WINOGRAD_E * cin * cout + 4);
    h.call(
      'winogradFilter',
      ...POOLED_KERNEL_ARGS.winogradFilter({ w: h.put(w), u, cin, cout, c0: 0, cc: cin, flip: false, tmp: h.put(WINOGRAD_TMP_BYTES / 4) }),
    );
    const tb = 16;
    const out = h.put(batch * outH * outW * cout);
    const params = h.put(WINOGRAD_CONV_PARAMS_BYTES / 4);
    writeWinogradConvParams(h.buffer(), params, {
      x: h.put(x),
      H: hh,
      W: ww,
      cin,
      top,
      left,
      tH,
      tW,
      u,
      cout,
      out,
      outH,
      outW,
      bias: h.put(bias),
      relu: true,
      tb,
    });
    const scratch = h.put((WINOGRAD_TMP_BYTES + 4 * WINOGRAD_E * tb * (cin + cout) + 16) / 4);
    h.call('winogradConv', ...POOLED_KERNEL_ARGS.winogradConv({ params, t0: 0, count: batch * tH * tW, scratch }));
    const ref = convReference(x, [batch, hh, ww, cin], w, [3, 3, cin, cout], top, left, outH, outW).map((v, i) => Math.max(0, v + bias[i % cout]));
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
    const got = h.read(out, ref.length);
    expect(ref.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0) / scale).toBeLessThan(1e-4);
  });

  // The filter gradient: xp has one extra row (reads past a row's end), dyp is zero beyond the
  // output width; threads take column ranges of dW (`cout` of `ld`), here split at 8.
  it.each([
    [1, 3, 3, 1, 8],
    [2, 3, 3, 4, 12],
    [1, 5, 3, 9, 9],
    [2, 2, 2, 7, 17],
  ])('conv2dFilterGrad batch %i, %i x %i filter, cin %i, cout %i, in two column ranges', (batch, kh, kw, cin, ld) => {
    h.reset();
    const [oH, oW] = [5, 6];
    const [hx, wp] = [oH + kh, oW + kw - 1];
    const xp = values(batch * hx * wp * cin, cin + ld);
    const dy = values(batch * oH * oW * ld, ld);
    const dyp = new Float32Array(batch * oH * wp * ld);
    for (let r = 0; r < batch * oH; r++) dyp.set(dy.subarray(r * oW * ld, (r + 1) * oW * ld), r * wp * ld);
    const [px, pdy, dw] = [h.put(xp), h.put(dyp), h.put(kh * kw * cin * ld)];
    for (const [c0, cc] of [
      [0, Math.min(8, ld)],
      [8, ld - 8],
    ])
      if (cc > 0)
        h.call(
          'conv2dFilterGrad',
          ...POOLED_KERNEL_ARGS.conv2dFilterGrad({ xp: px, dyp: pdy + 4 * c0, dw: dw + 4 * c0, batch, Hx: hx, Wp: wp, cin, oH, kh, kw, cout: cc, ld }),
        );
    const ref = filterGradReference(xp, [batch, hx, wp, cin], dy, [oH, oW, ld, ld], kh, kw, 0, 0);
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
    const got = h.read(dw, ref.length);
    expect(ref.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0) / scale).toBeLessThan(1e-5);
    expect(h.guardsIntact()).toBe(true);
  });

  // The Winograd filter gradient through its exports: the generated winogradGradPrepare block,
  // V and Z for every tile, S[e] = V[e]ᵀ Z[e] by gemmPacked, then winogradGradFilter.
  it.each([
    [1, 4, 4, 16, 4, 1],
    [1, 5, 7, 17, 9, 1],
    [2, 9, 6, 19, 8, 0],
  ])('winogradGradPrepare + gemmPacked + winogradGradFilter batch %i, %i x %i, cin %i, cout %i, padding %i', (batch, hh, ww, cin, cout, pad) => {
    h.reset();
    const x = values(batch * hh * ww * cin, hh + cin);
    const [oH, oW] = pad ? [hh, ww] : [hh - 2, ww - 2];
    const dy = values(batch * oH * oW * cout, cout);
    const [tH, tW] = [Math.ceil(oH / 4), Math.ceil(oW / 4)];
    const total = batch * tH * tW;
    const [v, z, s] = [h.put(WINOGRAD_E * total * cin + 4), h.put(WINOGRAD_E * total * cout + 4), h.put(WINOGRAD_E * cin * cout + 4)];
    const params = h.put(WINOGRAD_GRAD_PREPARE_PARAMS_BYTES / 4);
    writeWinogradGradPrepareParams(h.buffer(), params, {
      x: h.put(x),
      H: hh,
      W: ww,
      cin,
      top: pad,
      left: pad,
      dy: h.put(dy),
      oH,
      oW,
      cout,
      tH,
      tW,
      v,
      z,
      T: total,
    });
    const tmp = h.put(WINOGRAD_TMP_BYTES / 4);
    h.call('winogradGradPrepare', ...POOLED_KERNEL_ARGS.winogradGradPrepare({ params, t0: 0, count: total, tmp }));
    const pack = h.put(GEMM_PACK_BYTES / 4);
    for (let e = 0; e < WINOGRAD_E; e++) {
      const args = { a: v + 4 * e * total * cin, sam: 1, sak: cin, b: z + 4 * e * total * cout, ldb: cout, c: s + 4 * e * cin * cout, ldc: cout };
      h.call('gemmPacked', ...POOLED_KERNEL_ARGS.gemmPacked({ ...args, M: cin, K: total, N: cout, bias: 0, relu: false, accumulate: false, pack }));
    }
    const dw = h.put(9 * cin * cout);
    h.call('winogradGradFilter', ...POOLED_KERNEL_ARGS.winogradGradFilter({ s, dw, cin, cout, c0: 0, cc: cin, tmp }));
    const ref = filterGradReference(x, [batch, hh, ww, cin], dy, [oH, oW, cout, cout], 3, 3, pad, pad);
    const scale = ref.reduce((m, val) => Math.max(m, Math.abs(val)), 1e-6);
    const got = h.read(dw, ref.length);
    expect(ref.reduce((m, val, i) => Math.max(m, Math.abs(val - got[i])), 0) / scale).toBeLessThan(1e-4);
  });
});
