import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '@fmnist/core';
import { type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';
import { withScratch } from './wasm-backend-like';

const channels = (x: TensorInfo) => x.shape[x.shape.length - 1];

/**
 * Batch norm with batch statistics over every axis but the last (NHWC / [N, C]).
 * Outputs y, the per-channel mean, and the inverse standard deviation 1/sqrt(var + eps) (biased
 * variance, as PyTorch normalises). Sums in float64 for accuracy.
 */
export const batchNormTrainKernel: HostKernel = {
  kernelName: BATCH_NORM_TRAIN,
  inputs: ['x', 'gamma', 'beta'],
  outputShapes: ([x]) => [x.shape, [channels(x)], [channels(x)]],
  simd: (k, [x, gamma, beta], [y, mean, invStd], [xInfo], attrs, b) => {
    const c = channels(xInfo);
    if (c % 4 !== 0) return false;
    const rows = util.sizeFromShape(xInfo.shape) / c;
    withScratch(b, 32 * c, (scratch) => k.batchNormTrain(x, gamma, beta, y, mean, invStd, rows, c, attrs.epsilon as number, scratch));
    return true;
  },
  compute: ([x, gamma, beta], [y, mean, invStd], [xInfo], attrs: NamedAttrMap) => {
    const c = channels(xInfo);
    const m = x.length / c;
    const eps = attrs.epsilon as number;
    const sum = new Float64Array(c);
    const sumSq = new Float64Array(c);
    for (let i = 0; i < x.length; i += c) {
      for (let k = 0; k < c; k++) {
        const v = x[i + k];
        sum[k] += v;
        sumSq[k] += v * v;
      }
    }
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const mu = sum[k] / m;
      const variance = Math.max(0, sumSq[k] / m - mu * mu);
      mean[k] = mu;
      invStd[k] = 1 / Math.sqrt(variance + eps);
      scale[k] = gamma[k] * invStd[k];
      shift[k] = beta[k] - mu * scale[k];
    }
    for (let i = 0; i < x.length; i += c) {
      for (let k = 0; k < c; k++) y[i + k] = x[i + k] * scale[k] + shift[k];
    }
  },
};

/**
 * Its gradient in closed form: with x̂ = (x - mean) * invStd,
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·invStd/M · (M·dy - dβ - x̂·dγ).
 */
export const batchNormTrainGradKernel: HostKernel = {
  kernelName: BATCH_NORM_TRAIN_GRAD,
  inputs: ['dy', 'x', 'gamma', 'mean', 'invStd'],
  outputShapes: ([dy]) => [dy.shape, [channels(dy)], [channels(dy)]],
  simd: (k, [dy, x, gamma, mean, invStd], [dx, dGamma, dBeta], [dyInfo], _attrs, b) => {
    const c = channels(dyInfo);
    if (c % 4 !== 0) return false;
    const rows = util.sizeFromShape(dyInfo.shape) / c;
    withScratch(b, 32 * c, (scratch) => k.batchNormTrainGrad(dy, x, gamma, mean, invStd, dx, dGamma, dBeta, rows, c, scratch));
    return true;
  },
  compute: ([dy, x, gamma, mean, invStd], [dx, dGamma, dBeta], [dyInfo]) => {
    const c = channels(dyInfo);
    const m = dy.length / c;
    const sumDy = new Float64Array(c);
    const sumDyXhat = new Float64Array(c);
    for (let i = 0; i < dy.length; i += c) {
      for (let k = 0; k < c; k++) {
        const g = dy[i + k];
        sumDy[k] += g;
        sumDyXhat[k] += g * (x[i + k] - mean[k]) * invStd[k];
      }
    }
    const a = new Float32Array(c);
    const b = new Float32Array(c);
    const d = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      dBeta[k] = sumDy[k];
      dGamma[k] = sumDyXhat[k];
      // dx = a*dy + b*(x - mean) + d, expanded so the loop is one multiply-add chain.
      a[k] = gamma[k] * invStd[k];
      b[k] = (-a[k] * invStd[k] * sumDyXhat[k]) / m;
      d[k] = (-a[k] * sumDy[k]) / m - b[k] * mean[k];
    }
    for (let i = 0; i < dy.length; i += c) {
      for (let k = 0; k < c; k++) dx[i + k] = a[k] * dy[i + k] + b[k] * x[i + k] + d[k];
    }
  },
};
