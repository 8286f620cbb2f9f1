import { backend_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';
import { withScratch } from './wasm-backend-like';

/** Reduction axes as a sorted list of non-negative ints. */
function axes(x: TensorInfo, axis: number | number[]): number[] {
  return util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
}

/** True when the reduction is over a leading run of axes: the result is column sums. */
function leading(x: TensorInfo, ax: number[]): boolean {
  return ax.length > 0 && ax.length < x.shape.length && ax.every((a, i) => a === i);
}

/**
 * Sums over leading axes (bias and batch-norm gradients reduce [N, H, W] of NHWC) as column sums
 * in one pass; wasm's Sum transposes the input first. Other reductions go to the original kernel.
 */
export const sumKernel: HostKernel = {
  kernelName: 'Sum',
  inputs: ['x'],
  outputShapes: ([x], attrs) => {
    const ax = axes(x, attrs.axis as number | number[]);
    if (!leading(x, ax)) return undefined;
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, ax);
    return [attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, ax) : outShape];
  },
  simd: (k, [x], [out], [xInfo], attrs, b) => {
    // outputShapes already checked the axes are leading: rows are their product.
    const rows = axes(xInfo, attrs.axis as number | number[]).reduce((p, a) => p * xInfo.shape[a], 1);
    const cols = util.sizeFromShape(xInfo.shape) / rows;
    if (cols % 4 !== 0 || rows === 0) return false;
    withScratch(b, 12 * cols, (scratch) => k.columnSum(x, out, rows, cols, scratch));
    return true;
  },
  compute: ([x], [out]) => {
    const cols = out.length;
    const acc = new Float64Array(cols);
    for (let i = 0; i < x.length; i += cols) for (let k = 0; k < cols; k++) acc[k] += x[i + k];
    out.set(acc);
  },
};
