// Every wasm kernel's parameters, declared once. scripts/build-wasm.mjs generates from this table
// the TS side (src/kernels/simd/kernel-abi.ts: the SimdKernels interface, named arguments for the
// pool's kernels, parameter-block writers, shared constants) and the AssemblyScript side
// (assembly/kernel-abi.ts: the same constants, parameter-block readers), and checks that the
// AssemblyScript exports (assembly/index.ts) have exactly these parameters, in this order.
//
// Parameter types: 'ptr' (a byte offset in the wasm memory: usize), 'i32', 'f32', 'f64', 'bool'
// (0 or 1 on the wire). A kernel with `pooled: true` may run on the kernel pool's threads, which pass
// at most POOL_MAX_ARGS numbers per call: the build fails if it has more.

/** @typedef {'ptr' | 'i32' | 'f32' | 'f64' | 'bool'} ParamType */
/** @typedef {[name: string, type: ParamType]} Param */
/** @typedef {{ doc: string, params: Param[], pooled?: boolean, returns?: 'i32' }} Kernel */
/** @typedef {{ doc: string, fields: Param[] }} ParamBlock */
/** @typedef {{ doc: string, value: number, as: 'i32' | 'usize' }} Constant */

const KC = 256;

/** Numbers shared by both sides. @type {Record<string, Constant>} */
export const constants = {
  POOL_MAX_ARGS: { doc: 'Arguments the kernel pool passes per call (f64 each, per chunk of its control block).', value: 16, as: 'i32' },
  GEMM_KC: { doc: 'The GEMM blocks K by this many rows of B, so a KC x 8 panel of B stays in L1.', value: KC, as: 'i32' },
  GEMM_PACK_BYTES: { doc: "Scratch of one gemmPacked call: one KC x 8 panel of B's floats (16-byte aligned).", value: KC * 8 * 4, as: 'i32' },
  WINOGRAD_E: { doc: 'Elements of a Winograd F(4x4, 3x3) tile in the transformed domain (6 x 6).', value: 36, as: 'i32' },
  WINOGRAD_TMP_BYTES: { doc: "Per-chunk scratch of the Winograd transforms' temporaries (at most 72 vectors + a patch).", value: 2048, as: 'usize' },
};

/** i32 parameter blocks: the host writes them in the wasm memory, a kernel reads them by field. @type {Record<string, ParamBlock>} */
export const paramBlocks = {
  winogradConv: {
    doc: 'A forward Winograd convolution: input x [batch, H, W, cin] padded by top/left, tiles tH x tW, U (transformed filter), output [batch, outH, outW, cout] (+ bias) (ReLU), tb tiles per block.',
    fields: [
      ['x', 'ptr'],
      ['H', 'i32'],
      ['W', 'i32'],
      ['cin', 'i32'],
      ['top', 'i32'],
      ['left', 'i32'],
      ['tH', 'i32'],
      ['tW', 'i32'],
      ['u', 'ptr'],
      ['cout', 'i32'],
      ['out', 'ptr'],
      ['outH', 'i32'],
      ['outW', 'i32'],
      ['bias', 'ptr'],
      ['relu', 'bool'],
      ['tb', 'i32'],
    ],
  },
  winogradGradPrepare: {
    doc: "The filter gradient's transforms: x [batch, H, W, cin] padded by top/left into V, dy [batch, oH, oW, cout] into Z, tiles tH x tW, T tiles in all.",
    fields: [
      ['x', 'ptr'],
      ['H', 'i32'],
      ['W', 'i32'],
      ['cin', 'i32'],
      ['top', 'i32'],
      ['left', 'i32'],
      ['dy', 'ptr'],
      ['oH', 'i32'],
      ['oW', 'i32'],
      ['cout', 'i32'],
      ['tH', 'i32'],
      ['tW', 'i32'],
      ['v', 'ptr'],
      ['z', 'ptr'],
      ['T', 'i32'],
    ],
  },
};

/** @type {Param[]} */
const gemmParams = [
  ['a', 'ptr'],
  ['sam', 'i32'],
  ['sak', 'i32'],
  ['b', 'ptr'],
  ['ldb', 'i32'],
  ['c', 'ptr'],
  ['ldc', 'i32'],
  ['M', 'i32'],
  ['K', 'i32'],
  ['N', 'i32'],
  ['bias', 'ptr'],
  ['relu', 'bool'],
  ['accumulate', 'bool'],
];

/** The exports of assembly/index.ts, in its order. @type {Record<string, Kernel>} */
export const kernels = {
  adamUpdate: {
    doc: 'One Adam/AdamW step over n floats (assembly/adam.ts): w, g, m, v in, w2, m2, v2 out.',
    params: [
      ['w', 'ptr'],
      ['g', 'ptr'],
      ['m', 'ptr'],
      ['v', 'ptr'],
      ['w2', 'ptr'],
      ['m2', 'ptr'],
      ['v2', 'ptr'],
      ['n', 'i32'],
      ['beta1', 'f32'],
      ['beta2', 'f32'],
      ['oneMinusBeta1', 'f32'],
      ['oneMinusBeta2', 'f32'],
      ['eps', 'f32'],
      ['stepSize', 'f32'],
      ['sqrtC2', 'f32'],
      ['keep', 'f32'],
      ['l2', 'f32'],
    ],
  },
  batchNormInference: {
    doc: 'y = (x - mean)·scale/sqrt(variance + eps) + offset over [rows, C] (scale, offset 0: absent); scratch: 8 C bytes.',
    params: [
      ['x', 'ptr'],
      ['mean', 'ptr'],
      ['variance', 'ptr'],
      ['offset', 'ptr'],
      ['scale', 'ptr'],
      ['y', 'ptr'],
      ['rows', 'i32'],
      ['C', 'i32'],
      ['eps', 'f64'],
      ['scratch', 'ptr'],
    ],
  },
  batchNormTrain: {
    doc: "Batch norm's training forward over [rows, C] with the batch's statistics (writes mean and invStd); scratch: 32 C bytes.",
    params: [
      ['x', 'ptr'],
      ['gamma', 'ptr'],
      ['beta', 'ptr'],
      ['y', 'ptr'],
      ['mean', 'ptr'],
      ['invStd', 'ptr'],
      ['rows', 'i32'],
      ['C', 'i32'],
      ['eps', 'f64'],
      ['scratch', 'ptr'],
    ],
  },
  batchNormTrainGrad: {
    doc: "Batch norm's training gradient over [rows, C]: dx, dGamma, dBeta; scratch: 32 C bytes.",
    params: [
      ['dy', 'ptr'],
      ['x', 'ptr'],
      ['gamma', 'ptr'],
      ['mean', 'ptr'],
      ['invStd', 'ptr'],
      ['dx', 'ptr'],
      ['dGamma', 'ptr'],
      ['dBeta', 'ptr'],
      ['rows', 'i32'],
      ['C', 'i32'],
      ['scratch', 'ptr'],
    ],
  },
  conv2dFilterGrad: {
    doc: "A stride-1 convolution's filter gradient, one GEMM per image and filter row (assembly/conv2d.ts): `cout` of the `ld` output channels.",
    pooled: true,
    params: [
      ['xp', 'ptr'],
      ['dyp', 'ptr'],
      ['dw', 'ptr'],
      ['batch', 'i32'],
      ['Hx', 'i32'],
      ['Wp', 'i32'],
      ['cin', 'i32'],
      ['oH', 'i32'],
      ['kh', 'i32'],
      ['kw', 'i32'],
      ['cout', 'i32'],
      ['ld', 'i32'],
    ],
  },
  conv2dRows: {
    doc: 'A stride-1 convolution of a padded input [batch, Hq, Wq, cin] as GEMMs over the taps (+ bias) (ReLU); `flip` reads the taps rotated 180°.',
    pooled: true,
    params: [
      ['xp', 'ptr'],
      ['batch', 'i32'],
      ['Hq', 'i32'],
      ['Wq', 'i32'],
      ['cin', 'i32'],
      ['w', 'ptr'],
      ['kh', 'i32'],
      ['kw', 'i32'],
      ['flip', 'bool'],
      ['out', 'ptr'],
      ['cout', 'i32'],
      ['bias', 'ptr'],
      ['relu', 'bool'],
    ],
  },
  columnSum: {
    doc: 'Column sums of [rows, C] (C a multiple of 4) into out [C]; scratch: 12 C bytes.',
    params: [
      ['x', 'ptr'],
      ['out', 'ptr'],
      ['rows', 'i32'],
      ['C', 'i32'],
      ['scratch', 'ptr'],
    ],
  },
  gemm: {
    doc: 'C = A·B (+ bias) (ReLU), or C += A·B with `accumulate` (assembly/gemm.ts). A(m, k) at a + 4 (m sam + k sak), B(k, n) at b + 4 (k ldb + n), C(m, n) at c + 4 (m ldc + n).',
    pooled: true,
    params: gemmParams,
  },
  gemmPacked: {
    doc: "gemm with B's panels copied to `pack` first (GEMM_PACK_BYTES, 16-byte aligned, one per concurrent call; 0: in place).",
    pooled: true,
    params: [...gemmParams, ['pack', 'ptr']],
  },
  maxPoolGrad: {
    doc: 'Max-pooling gradient for non-overlapping windows fh x fw over [batch, H, W, C] (C a multiple of 4).',
    params: [
      ['dy', 'ptr'],
      ['x', 'ptr'],
      ['dx', 'ptr'],
      ['batch', 'i32'],
      ['H', 'i32'],
      ['W', 'i32'],
      ['C', 'i32'],
      ['oH', 'i32'],
      ['oW', 'i32'],
      ['fh', 'i32'],
      ['fw', 'i32'],
    ],
  },
  winogradConv: {
    doc: 'One chunk of a forward Winograd convolution: tiles [t0, t0 + count) of the winogradConv block at `params`; scratch: WINOGRAD_TMP_BYTES, then V [36][tb][cin], then M [36][tb][cout].',
    pooled: true,
    params: [
      ['params', 'ptr'],
      ['t0', 'i32'],
      ['count', 'i32'],
      ['scratch', 'ptr'],
    ],
  },
  winogradFilter: {
    doc: 'U = G g Gᵀ for input channels [c0, c0 + cc) of w [3, 3, cin, cout] (rotated 180° with `flip`); tmp: WINOGRAD_TMP_BYTES.',
    pooled: true,
    params: [
      ['w', 'ptr'],
      ['u', 'ptr'],
      ['cin', 'i32'],
      ['cout', 'i32'],
      ['c0', 'i32'],
      ['cc', 'i32'],
      ['flip', 'bool'],
      ['tmp', 'ptr'],
    ],
  },
  winogradGradFilter: {
    doc: 'dW = Gᵀ S G for input channels [c0, c0 + cc), S [36][cin][cout]; tmp: WINOGRAD_TMP_BYTES.',
    pooled: true,
    params: [
      ['s', 'ptr'],
      ['dw', 'ptr'],
      ['cin', 'i32'],
      ['cout', 'i32'],
      ['c0', 'i32'],
      ['cc', 'i32'],
      ['tmp', 'ptr'],
    ],
  },
  winogradGradPrepare: {
    doc: "The filter gradient's V and Z for tiles [t0, t0 + count) of the winogradGradPrepare block at `params`; tmp: WINOGRAD_TMP_BYTES.",
    pooled: true,
    params: [
      ['params', 'ptr'],
      ['t0', 'i32'],
      ['count', 'i32'],
      ['tmp', 'ptr'],
    ],
  },
  reluGrad: {
    doc: "ReLU's gradient over n floats: dx = dy where x > 0, NaN where x is NaN, else 0.",
    params: [
      ['dy', 'ptr'],
      ['x', 'ptr'],
      ['dx', 'ptr'],
      ['n', 'i32'],
    ],
  },
  transpose2d: {
    doc: 'Rows r0 .. r0 + count of x [rows, cols] into out [cols, rows].',
    pooled: true,
    params: [
      ['x', 'ptr'],
      ['out', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
      ['r0', 'i32'],
      ['count', 'i32'],
    ],
  },
};
