import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { batchNormTrain } from './ops/batch-norm-train';

type Kwargs = Record<string, unknown>;
type BatchNormCtor = new (args: Parameters<typeof tfl.layers.batchNormalization>[0]) => tfl.layers.Layer;

// tfjs-layers does not export its BatchNormalization class; take it from an instance.
const BatchNormBase = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as BatchNormCtor;

interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tfl.LayerVariable;
  beta: tfl.LayerVariable;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

// Marks our batch-norm layers across bundles (the internal entry), where `instanceof` would not.
const FAST_BATCH_NORM = Symbol.for('@fmnist/models/fast-batch-norm');

/**
 * BatchNormalization whose training step uses our fused op (one kernel forward, one backward),
 * and whose moving variance is updated with the unbiased batch variance, as PyTorch does.
 * Frozen (`trainable = false`) it runs in inference mode, as Keras' does. Inference and
 * serialisation are tfjs-layers' own: saved models load anywhere as `BatchNormalization`.
 */
export class FastBatchNormalization extends BatchNormBase {
  static className = 'BatchNormalization';
  readonly [FAST_BATCH_NORM] = true;

  /**
   * Moves the running statistics towards a batch's mean and biased variance over `count` values
   * per channel (the variance stored is the unbiased one, as PyTorch does).
   */
  updateMovingStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const self = this as unknown as BatchNormFields;
    tf.tidy(() => {
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      const decay = 1 - self.momentum;
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, unbiased],
      ] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), decay)));
      }
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    // Frozen, it runs in inference mode, as Keras' BatchNormalization does.
    if (!this.trainable) return super.call(inputs, { ...kwargs, training: false });
    if (kwargs.training !== true || !lastAxis || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(x, self.gamma.read(), self.beta.read(), self.epsilon);
      this.updateMovingStats(mean, variance, x.size / (x.shape[x.rank - 1] as number));
      return y;
    });
  }
}

export function fastBatchNormalization(args: Parameters<typeof tfl.layers.batchNormalization>[0]): tfl.layers.Layer {
  return new FastBatchNormalization(args);
}

/** The parts of a FastBatchNormalization a fused training step needs, or undefined for any other layer (or one it would not run on batch statistics over the last axis). */
export function fastBatchNormParts(
  layer: tfl.layers.Layer,
  rank: number,
): { gamma: tf.Variable; beta: tf.Variable; epsilon: number; updateMovingStats: FastBatchNormalization['updateMovingStats'] } | undefined {
  if ((layer as unknown as Record<symbol, unknown>)[FAST_BATCH_NORM] !== true) return undefined;
  const self = layer as unknown as BatchNormFields & FastBatchNormalization;
  if (!(self.axis === -1 || self.axis === rank - 1) || !self.gamma || !self.beta) return undefined;
  return {
    gamma: self.gamma.read() as tf.Variable,
    beta: self.beta.read() as tf.Variable,
    epsilon: self.epsilon,
    updateMovingStats: (mean, variance, count) => self.updateMovingStats(mean, variance, count),
  };
}
