import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';

function poolInfo(x: TensorInfo, attrs: NamedAttrMap) {
  return backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/**
 * The max-pooling gradient as one pass: each output's gradient goes to the first maximum of its
 * window (as the cpu backend picks it). Any filter, stride and padding, NHWC.
 */
export const maxPoolGradKernel: HostKernel = {
  kernelName: 'MaxPoolGrad',
  inputs: ['dy', 'input'],
  outputShapes: ([, x], _attrs) => (x.shape.length === 4 ? [x.shape] : undefined),
  simd: (k, [dy, x], [dx], [, xInfo], attrs) => {
    const info = poolInfo(xInfo, attrs);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    // Non-overlapping windows without padding: each input belongs to at most one window.
    const simple = filterHeight === strideHeight && filterWidth === strideWidth && padInfo.top === 0 && padInfo.left === 0;
    if (!simple || inChannels % 4 !== 0 || outHeight * strideHeight > inHeight || outWidth * strideWidth > inWidth) return false;
    k.maxPoolGrad(dy, x, dx, batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth);
    return true;
  },
  compute: ([dy, x], [dx], [, xInfo], attrs) => {
    const info = poolInfo(xInfo, attrs);
    const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    dx.fill(0);
    for (let n = 0; n < batchSize; n++) {
      const xBase = n * inHeight * inWidth * ch;
      for (let oy = 0; oy < outHeight; oy++) {
        const y0 = oy * strideHeight - top;
        for (let ox = 0; ox < outWidth; ox++) {
          const x0 = ox * strideWidth - left;
          const dyBase = ((n * outHeight + oy) * outWidth + ox) * ch;
          for (let c = 0; c < ch; c++) {
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
            for (let fy = 0; fy < filterHeight; fy++) {
              const yy = y0 + fy;
              if (yy < 0 || yy >= inHeight) continue;
              for (let fx = 0; fx < filterWidth; fx++) {
                const xx = x0 + fx;
                if (xx < 0 || xx >= inWidth) continue;
                const idx = xBase + (yy * inWidth + xx) * ch + c;
                if (x[idx] > best) {
                  best = x[idx];
                  at = idx;
                }
              }
            }
            if (at >= 0) dx[at] += dy[dyBase + c];
          }
        }
      }
    }
  },
};
