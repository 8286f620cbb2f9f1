import { describe, expect, it } from 'vitest';
import { type GemmPackedArgs, GEMM_PACK_BYTES, POOLED_KERNEL_ARGS, type SimdKernels } from './kernel-abi';
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
});
