import { ADAM_UPDATE, type AdamUpdateAttrs } from '@fmnist/core';
import { util } from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';

/**
 * The step's scalars, in double on the host (the SIMD kernel gets them rounded once to float32):
 * 1 - β, bias corrections folded into stepSize and sqrtC2, weight decay as keep (AdamW) or l2 (Adam).
 */
function constants({ lr, beta1, beta2, eps, step, weightDecay, decoupled }: AdamUpdateAttrs) {
  return {
    beta1,
    beta2,
    oneMinusBeta1: 1 - beta1,
    oneMinusBeta2: 1 - beta2,
    eps,
    stepSize: lr / (1 - beta1 ** step),
    sqrtC2: Math.sqrt(1 - beta2 ** step),
    keep: decoupled ? 1 - lr * weightDecay : 1,
    l2: decoupled ? 0 : weightDecay,
  };
}

/**
 * One Adam/AdamW step for one variable in a single pass (tfjs issues ~10 kernels per variable):
 * m' = β1 m + (1-β1) g, v' = β2 v + (1-β2) g², w' = w·(1 - lr·wd if decoupled) - lr/c1 · m' / (sqrt(v'/c2) + eps),
 * with g += wd·w first when weight decay is coupled (Adam), as torch.optim does.
 */
export const adamUpdateKernel: HostKernel = {
  kernelName: ADAM_UPDATE,
  inputs: ['w', 'g', 'm', 'v'],
  outputShapes: ([w]) => [w.shape, w.shape, w.shape],
  simd: (k, [w, g, m, v], [w2, m2, v2], [info], attrs) => {
    const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, stepSize, sqrtC2, keep, l2 } = constants(attrs as unknown as AdamUpdateAttrs);
    k.adamUpdate(w, g, m, v, w2, m2, v2, util.sizeFromShape(info.shape), beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, stepSize, sqrtC2, keep, l2);
    return true;
  },
  compute: ([w, g, m, v], [w2, m2, v2], _infos, attrs) => {
    const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, stepSize, sqrtC2, keep, l2 } = constants(attrs as unknown as AdamUpdateAttrs);
    for (let i = 0; i < w.length; i++) {
      const grad = g[i] + l2 * w[i];
      const mi = beta1 * m[i] + oneMinusBeta1 * grad;
      const vi = beta2 * v[i] + oneMinusBeta2 * grad * grad;
      m2[i] = mi;
      v2[i] = vi;
      w2[i] = w[i] * keep - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
  },
};
