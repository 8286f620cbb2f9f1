import { _FusedMatMul, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { callKernel, release } from './call-kernel';
import { GEMM_PACK_BYTES } from './simd/kernel-abi';
import { chunkCount, splitRange } from './simd/kernel-pool';
import { kernelChunks, kernelThreads, offsetOf, runParallel, simdFor, type WasmBackendLike, withScratch } from './wasm-backend-like';

/** Below this many multiply-adds a product runs on one thread: waking a worker costs microseconds. */
const PARALLEL_MACS = 1 << 23;

/** Below this many floats a transpose stays on one thread. */
const PARALLEL_TRANSPOSE = 1 << 16;

/**
 * Swaps the last two axes: with our SIMD transpose (4x4 register blocks; threads take ranges of
 * input rows, 16 at a time so no two write the same cache line), else wasm's Transpose, which
 * moves one float at a time (1.7 ms for a 512x512 weight, 10x ours).
 */
function transposeLast2(backend: KernelBackend, t: TensorInfo): TensorInfo {
  const b = backend as unknown as WasmBackendLike;
  const kernels = simdFor(b);
  const rank = t.shape.length;
  if (kernels && t.dtype === 'float32') {
    const [rows, cols] = [t.shape[rank - 2], t.shape[rank - 1]];
    const out = b.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
    const [px, po] = [offsetOf(b, t), offsetOf(b, out)];
    const parts = rows * cols >= PARALLEL_TRANSPOSE ? kernelChunks(b) : 1;
    for (let i = 0; i < util.sizeFromShape(t.shape.slice(0, -2)); i++) {
      const at = 4 * i * rows * cols;
      runParallel(
        b,
        kernels,
        'transpose2d',
        splitRange(rows, parts, 16).map(([r0, count]) => ({ x: px + at, out: po + at, rows, cols, r0, count })),
      );
    }
    return out;
  }
  const perm = t.shape.map((_, i) => i);
  [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2], perm[perm.length - 1]];
  return callKernel(backend, 'Transpose', { x: t }, { perm });
}

interface Product {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  /** A [N] bias, or none. */
  bias: TensorInfo | undefined;
  relu: boolean;
}

/**
 * A·B (+ bias) (ReLU) with our SIMD GEMM (assembly/gemm.ts), which reads its operands in place:
 * XNNPACK packs B first, and in training B (a weight or a gradient) is new at every call, so the
 * packing costs more than the product. Aᵀ is read in place; Bᵀ is transposed first. Batch dims
 * must be equal or one side's must be 1. Undefined when SIMD or the shapes are not supported.
 */
function simdProduct(backend: KernelBackend, p: Product): TensorInfo | undefined {
  const b = backend as unknown as WasmBackendLike;
  const kernels = simdFor(b);
  const ra = p.a.shape.length;
  const rb = p.b.shape.length;
  if (!kernels || ra < 2 || rb < 2) return undefined;
  const [m, k] = p.transposeA ? [p.a.shape[ra - 1], p.a.shape[ra - 2]] : [p.a.shape[ra - 2], p.a.shape[ra - 1]];
  const [kb, n] = p.transposeB ? [p.b.shape[rb - 1], p.b.shape[rb - 2]] : [p.b.shape[rb - 2], p.b.shape[rb - 1]];
  const batchA = util.sizeFromShape(p.a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(p.b.shape.slice(0, -2));
  if (k !== kb || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return undefined;
  if (p.bias && util.sizeFromShape(p.bias.shape) !== n) return undefined;
  const batch = Math.max(batchA, batchB);
  const outer = (batchA >= batchB ? p.a : p.b).shape.slice(0, -2);
  const out = b.makeOutput([...outer, m, n], 'float32');
  const bb = p.transposeB ? transposeLast2(backend, p.b) : p.b;
  const [pa, pb, pc] = [offsetOf(b, p.a), offsetOf(b, bb), offsetOf(b, out)];
  const bias = p.bias ? offsetOf(b, p.bias) : 0;
  const [sam, sak] = p.transposeA ? [1, m] : [k, 1];
  // Threads take column ranges (rows when there are few columns); small products stay on one.
  const threads = m * n * k >= PARALLEL_MACS ? kernelThreads(b) : 1;
  // Several chunks per thread: threads claim them as they come, so a late one takes fewer.
  const chunks = chunkCount(threads);
  const byColumns = n >= 8 * chunks;
  // Each chunk packs B's panels into its own scratch (chunks of one job run at once).
  const packBytes = GEMM_PACK_BYTES;
  withScratch(b, chunks * packBytes, (scratch) => {
    for (let i = 0; i < batch; i++) {
      const ai = pa + (batchA === 1 ? 0 : i * m * k * 4);
      const bi = pb + (batchB === 1 ? 0 : i * k * n * 4);
      const ci = pc + i * m * n * 4;
      const parts = byColumns
        ? splitRange(n, chunks, 8).map(([n0, nc], j) => ({
            a: ai,
            sam,
            sak,
            b: bi + 4 * n0,
            ldb: n,
            c: ci + 4 * n0,
            ldc: n,
            M: m,
            K: k,
            N: nc,
            bias: bias && bias + 4 * n0,
            relu: p.relu,
            accumulate: false,
            pack: scratch + j * packBytes,
          }))
        : splitRange(m, chunks, 4).map(([m0, mc], j) => ({
            a: ai + 4 * m0 * sam,
            sam,
            sak,
            b: bi,
            ldb: n,
            c: ci + 4 * m0 * n,
            ldc: n,
            M: mc,
            K: k,
            N: n,
            bias,
            relu: p.relu,
            accumulate: false,
            pack: scratch + j * packBytes,
          }));
      runParallel(b, kernels, 'gemmPacked', parts);
    }
  });
  if (p.transposeB) release(backend, bb);
  return out;
}

/**
 * BatchMatMul: our SIMD GEMM when available (see simdProduct). Without SIMD, transposed operands
 * still go through an explicit transpose + plain XNNPACK product: its transposed paths are 10-20x
 * slower, and every Dense backward pass asks for A·Bᵀ and Aᵀ·B.
 */
export function batchMatMulConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
      const backend = args.backend as unknown as KernelBackend;
      const fast = simdProduct(backend, { a, b, transposeA, transposeB, bias: undefined, relu: false });
      if (fast) return fast;
      if (!transposeA && !transposeB) return original(args);
      const aa = transposeA ? transposeLast2(backend, a) : a;
      const bb = transposeB ? transposeLast2(backend, b) : b;
      const out = original({ ...args, inputs: { a: aa, b: bb }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
      if (transposeA) release(backend, aa);
      if (transposeB) release(backend, bb);
      return out;
    },
  };
}

/** _FusedMatMul (Dense layers' forward) with a [N] bias or none and a linear or ReLU activation on our GEMM; the rest to `original`. */
export function fusedMatMulConfig(original: KernelFunc): KernelConfig {
  return {
    kernelName: _FusedMatMul,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
      const act = activation ?? 'linear';
      const supported = a && b && !preluActivationWeights && (act === 'linear' || act === 'relu') && [a, b, bias].every((t) => !t || t.dtype === 'float32');
      const fast = supported ? simdProduct(args.backend as unknown as KernelBackend, { a, b, transposeA, transposeB, bias, relu: act === 'relu' }) : undefined;
      return fast ?? original(args);
    },
  };
}
