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

/**
 * BatchNormalization whose training step uses our fused op (one kernel forward, one backward),
 * and whose moving variance is updated with the unbiased batch variance, as PyTorch does.
 * Inference and serialisation are tfjs-layers' own: saved models load anywhere as
 * `BatchNormalization`.
 */
export class FastBatchNormalization extends BatchNormBase {
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    if (kwargs.training !== true || !lastAxis || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(x, self.gamma.read(), self.beta.read(), self.epsilon);
      const m = x.size / (x.shape[x.rank - 1] as number);
      const unbiased = m > 1 ? tf.mul(variance, m / (m - 1)) : variance;
      const decay = 1 - self.momentum;
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, unbiased],
      ] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), decay)));
      }
      return y;
    });
  }
}

export function fastBatchNormalization(args: Parameters<typeof tfl.layers.batchNormalization>[0]): tfl.layers.Layer {
  return new FastBatchNormalization(args);
}
