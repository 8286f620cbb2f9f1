import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import {
  GEMM_PACK_BYTES,
  type GemmPackedArgs,
  type SimdKernels,
  WINOGRAD_CONV_PARAMS_BYTES,
  WINOGRAD_E as E,
  WINOGRAD_GRAD_PREPARE_PARAMS_BYTES,
  WINOGRAD_TMP_BYTES as TMP_BYTES,
  writeWinogradConvParams,
  writeWinogradGradPrepareParams,
} from './simd/kernel-abi';
import { splitRange } from './simd/kernel-pool';
import { kernelChunks, offsetOf, runParallel, type WasmBackendLike, wasmMemory, withScratch } from './wasm-backend-like';

// 3x3 stride-1 convolutions by Winograd F(4x4, 3x3) (assembly/winograd.ts): 36 multiplies per 4x4
// output tile and channel pair instead of 144. Measured error: see conv2d-winograd.test.ts.

/** Below this many reduction channels the transforms cost more than the multiplies they save. */
export const WINOGRAD_MIN_CHANNELS = 16;

let enabled: boolean | undefined;

/** Whether 3x3 convolutions use Winograd: on unless `setWinograd(false)` or FMNIST_WINOGRAD=0. */
export function winogradEnabled(): boolean {
  if (enabled === undefined) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    enabled = env?.FMNIST_WINOGRAD !== '0';
  }
  return enabled;
}

/** Turns Winograd on or off for later convolutions (off: direct convolution's rounding). */
export function setWinograd(on: boolean): void {
  enabled = on;
}

/** Whether a convolution with this filter and reduction width takes the Winograd path. */
export function winogradApplies(kh: number, kw: number, reduction: number): boolean {
  return kh === 3 && kw === 3 && reduction >= WINOGRAD_MIN_CHANNELS && winogradEnabled();
}

/** Whole vectors are read past the last channel of a transformed row: slack after each buffer. */
const SLACK = 16;
/** A tile block's transformed input and output should stay in a core's L2 (floats). */
const BLOCK_FLOATS = 96 * 1024;

const tiles = (n: number) => Math.ceil(n / 4);

/** The wasm memory's buffer, read after the mallocs: a grown memory has a new one. */
const heap = (b: WasmBackendLike): ArrayBufferLike => (wasmMemory(b) as WebAssembly.Memory).buffer;

/** U [36, cin, cout] of filter [3, 3, cin, cout] (rotated 180° with `flip`), into `u`. */
function transformFilter(b: WasmBackendLike, k: SimdKernels, filter: TensorInfo, u: number, flip: boolean): void {
  const [, , cin, cout] = filter.shape;
  const w = offsetOf(b, filter);
  const parts = splitRange(cin, kernelChunks(b), 1);
  withScratch(b, TMP_BYTES * parts.length, (tmp) => {
    runParallel(
      b,
      k,
      'winogradFilter',
      parts.map(([c0, cc], i) => ({ w, u, cin, cout, c0, cc, flip, tmp: tmp + i * TMP_BYTES })),
    );
  });
}

/**
 * A stride-1 3x3 convolution of x [N, H, W, cin] with `filter` [3, 3, cin, cout] (read rotated 180°
 * with `flip`), x padded by `top`/`left` (zeros; read in place, never copied), into a new
 * [N, outH, outW, cout] tensor (+ bias [cout]) (ReLU).
 */
export function winogradConv2D(
  backend: KernelBackend,
  k: SimdKernels,
  x: TensorInfo,
  filter: TensorInfo,
  flip: boolean,
  top: number,
  left: number,
  outH: number,
  outW: number,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo {
  const b = backend as unknown as WasmBackendLike;
  const [batch, h, w, cin] = x.shape;
  const cout = filter.shape[3];
  const [tH, tW] = [tiles(outH), tiles(outW)];
  const out = b.makeOutput([batch, outH, outW, cout], 'float32');
  const total = batch * tH * tW;
  const tb = Math.max(16, Math.min(64, 4 * Math.floor(BLOCK_FLOATS / (E * (cin + cout)) / 4)));
  const parts = splitRange(total, kernelChunks(b), tb);
  const chunkBytes = TMP_BYTES + 4 * E * tb * (cin + cout) + SLACK;
  const uBytes = 4 * E * cin * cout + SLACK;
  const paramBytes = WINOGRAD_CONV_PARAMS_BYTES;
  withScratch(b, paramBytes + uBytes + chunkBytes * parts.length, (scratch) => {
    const u = scratch + paramBytes;
    transformFilter(b, k, filter, u, flip);
    writeWinogradConvParams(heap(b), scratch, {
      x: offsetOf(b, x),
      H: h,
      W: w,
      cin,
      top,
      left,
      tH,
      tW,
      u,
      cout,
      out: offsetOf(b, out),
      outH,
      outW,
      bias: bias ? offsetOf(b, bias) : 0,
      relu,
      tb,
    });
    const chunks = u + uBytes;
    runParallel(
      b,
      k,
      'winogradConv',
      parts.map(([t0, count], i) => ({ params: scratch, t0, count, scratch: chunks + i * chunkBytes })),
    );
  });
  return out;
}

/**
 * dW [3, 3, cin, cout] of a stride-1 3x3 convolution of x [N, H, W, cin] padded by top/left with
 * output gradient dy [N, oH, oW, cout]: all tiles transformed (V from x, Z from dy, both read in
 * place), then for each of the 36 elements S = Vᵀ Z (a GEMM reducing over every tile), then
 * dW = Gᵀ S G.
 */
export function winogradConv2DBackpropFilter(backend: KernelBackend, k: SimdKernels, x: TensorInfo, dy: TensorInfo, top: number, left: number): TensorInfo {
  const b = backend as unknown as WasmBackendLike;
  const [batch, h, w, cin] = x.shape;
  const [, oH, oW, cout] = dy.shape;
  const [tH, tW] = [tiles(oH), tiles(oW)];
  const out = b.makeOutput([3, 3, cin, cout], 'float32');
  const total = batch * tH * tW;
  const chunks = kernelChunks(b);
  const vBytes = 4 * E * total * cin + SLACK;
  const zBytes = 4 * E * total * cout + SLACK;
  const sBytes = 4 * E * cin * cout + SLACK;
  const tileParts = splitRange(total, chunks, 1);
  const chanParts = splitRange(cin, chunks, 1);
  const tmpCount = Math.max(tileParts.length, chanParts.length);
  const paramBytes = WINOGRAD_GRAD_PREPARE_PARAMS_BYTES;
  withScratch(b, paramBytes + vBytes + zBytes + sBytes + TMP_BYTES * tmpCount, (scratch) => {
    const v = scratch + paramBytes;
    const [z, s] = [v + vBytes, v + vBytes + zBytes];
    const tmp = s + sBytes;
    writeWinogradGradPrepareParams(heap(b), scratch, {
      x: offsetOf(b, x),
      H: h,
      W: w,
      cin,
      top,
      left,
      dy: offsetOf(b, dy),
      oH,
      oW,
      cout,
      tH,
      tW,
      v,
      z,
      T: total,
    });
    runParallel(
      b,
      k,
      'winogradGradPrepare',
      tileParts.map(([t0, count], i) => ({ params: scratch, t0, count, tmp: tmp + i * TMP_BYTES })),
    );
    // S[e] (cin x cout) = V[e]ᵀ (read in place: sam 1, sak cin) · Z[e]; threads take (e, column
    // range). Each job packs Z's panels into its own scratch: they are read once per 4 of the
    // cin rows, and rows cout floats apart (64, 128: power-of-two strides) share a few L1 sets.
    const cols = splitRange(cout, Math.max(1, Math.floor(chunks / E)), 8);
    const packBytes = GEMM_PACK_BYTES;
    withScratch(b, E * cols.length * packBytes, (pack) => {
      const gemms: GemmPackedArgs[] = [];
      for (let e = 0; e < E; e++) {
        for (const [c0, cc] of cols) {
          gemms.push({
            a: v + 4 * e * total * cin,
            sam: 1,
            sak: cin,
            b: z + 4 * (e * total * cout + c0),
            ldb: cout,
            c: s + 4 * (e * cin * cout + c0),
            ldc: cout,
            M: cin,
            K: total,
            N: cc,
            bias: 0,
            relu: false,
            accumulate: false,
            pack: pack + gemms.length * packBytes,
          });
        }
      }
      runParallel(b, k, 'gemmPacked', gemms);
    });
    runParallel(
      b,
      k,
      'winogradGradFilter',
      chanParts.map(([c0, cc], i) => ({ s, dw: offsetOf(b, out), cin, cout, c0, cc, tmp: tmp + i * TMP_BYTES })),
    );
  });
  return out;
}
