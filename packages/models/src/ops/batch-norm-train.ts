import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';

/** Kernels a backend may provide (@fmnist/backend registers them for wasm and cpu). */

export interface BatchNormTrainResult {
  y: tf.Tensor;
  /** Batch mean per channel. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel. */
  variance: tf.Tensor1D;
}

const hasKernel = (name: string) => tf.getKernel(name, tf.getBackend()) !== undefined;

/** The same computation from standard ops, for backends without our kernels. */
function composed(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  const y = tf.add(tf.mul(tf.mul(tf.sub(x, mean), invStd), gamma), beta);
  return [y, mean, invStd];
}

function composedGrad(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, mean: tf.Tensor, invStd: tf.Tensor): tf.Tensor[] {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const m = x.size / (x.shape[x.shape.length - 1] as number);
  const xHat = tf.mul(tf.sub(x, mean), invStd);
  const dBeta = tf.sum(dy, axes);
  const dGamma = tf.sum(tf.mul(dy, xHat), axes);
  const dx = tf.mul(tf.div(tf.mul(gamma, invStd), m), tf.sub(tf.sub(tf.mul(dy, m), dBeta), tf.mul(xHat, dGamma)));
  return [dx, dGamma, dBeta];
}

/**
 * The forward kernel alone (no gradient recorded): y, the batch mean and 1/sqrt(variance + eps).
 * For callers that compute the gradient themselves (the trainer's fused step).
 */
export function batchNormTrainForward(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] {
  return hasKernel(BATCH_NORM_TRAIN)
    ? (tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[])
    : composed(x, gamma, beta, epsilon);
}

/** The closed-form gradient of batchNormTrainForward: [dx, dGamma, dBeta]. */
export function batchNormTrainBackward(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, mean: tf.Tensor, invStd: tf.Tensor): tf.Tensor[] {
  return hasKernel(BATCH_NORM_TRAIN_GRAD)
    ? (tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, gamma, mean, invStd }, {}) as tf.Tensor[])
    : composedGrad(dy, x, gamma, mean, invStd);
}

/** The biased batch variance from 1/sqrt(variance + eps). */
export function varianceFromInvStd(invStd: tf.Tensor, epsilon: number): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.div(1, tf.square(invStd)), epsilon)) as tf.Tensor1D;
}

/**
 * Batch normalisation with batch statistics over all axes but the last, with a closed-form
 * gradient. One fused kernel forward and one backward where the backend has them; tfjs's own
 * path (moments + batchNorm) runs a dozen kernels and tiles full-size tensors in its gradient.
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): BatchNormTrainResult {
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad(((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, invStd] = batchNormTrainForward(xx, g, b, epsilon);
    save([xx, g, mean, invStd]);
    stats = [tf.keep(mean.clone()), tf.keep(invStd.clone())];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sg, sm, si] = saved;
        return batchNormTrainBackward(dy as tf.Tensor, sx, sg, sm, si);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  // The statistics were kept to leave customGrad's scope; hand copies to the caller's scope.
  const [keptMean, keptInvStd] = stats;
  const mean = tf.clone(keptMean) as tf.Tensor1D;
  const variance = varianceFromInvStd(keptInvStd, epsilon);
  tf.dispose([keptMean, keptInvStd]);
  return { y, mean, variance };
}
