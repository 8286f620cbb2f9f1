import {
  batchNormTrainBackward,
  batchNormTrainForward,
  dropoutMultiplier,
  dropoutParts,
  fastBatchNormParts,
  varianceFromInvStd,
} from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type LossName, lossFromLogits, lossGradFromLogits } from './losses';

/**
 * The fused training step: forward and backward of a Sequential stack of the layers the zoo's
 * MLPs use (Dense, our BatchNormalization, Activation relu/linear, Dropout, Flatten), written out
 * instead of recorded on tfjs's tape. It computes the same gradients as tf.variableGrads, with:
 * - no tape: no saved clones, no 3D reshapes, no customGrad bookkeeping per op;
 * - Dense + ReLU as one fused product (tfjs splits them while it records gradients);
 * - no gradient for the input batch (tfjs's Dense computes it, 10-15% of an MLP step).
 * Dropout masks are drawn as the layer draws them (same stream, same order, same formula), so a
 * run does not depend on which path trained it. Anything else returns undefined: the caller uses
 * the tape.
 */
export interface FusedBackprop {
  /** Loss, logits and the gradients of `variables` (in that order). The caller disposes them. */
  run(xs: tf.Tensor, ys: tf.Tensor, labelSmoothing: number): { loss: tf.Scalar; logits: tf.Tensor; grads: tf.Tensor[] };
}

/** One layer of the plan: forward keeps what its backward needs (for this step only). */
interface Stage {
  forward(x: tf.Tensor): tf.Tensor;
  /** dL/d(input) from dL/d(output), or undefined when `needDx` is false; writes its weights' gradients. */
  backward(dy: tf.Tensor, needDx: boolean, grads: Map<tf.Variable, tf.Tensor>): tf.Tensor | undefined;
}

type StageFactory = () => Stage;

// The registered ReLU gradient (ours, one kernel, where @fmnist/backend runs; tfjs's otherwise):
// the tape would run the same one.
function reluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const config = tf.getGradient(tf.Relu);
  if (!config) return tf.mul(dy, tf.step(x));
  const map = config.gradFunc(dy, [x], {}) as Record<string, () => tf.Tensor>;
  return map.x();
}

function activationName(layer: tfl.layers.Layer): string | undefined {
  const activation = (layer as unknown as { activation?: { getClassName(): string } }).activation;
  return activation?.getClassName();
}

function dense(layer: tfl.layers.Layer, relu: boolean): StageFactory {
  const self = layer as unknown as { kernel: tfl.LayerVariable; bias?: tfl.LayerVariable; useBias: boolean };
  const kernel = self.kernel.read() as tf.Variable;
  const bias = self.useBias && self.bias ? (self.bias.read() as tf.Variable) : undefined;
  return () => {
    let input: tf.Tensor | undefined;
    let output: tf.Tensor | undefined;
    return {
      forward: (x) => {
        input = x;
        output = tf.fused.matMul({ a: x, b: kernel, bias, activation: relu ? 'relu' : 'linear' });
        return output;
      },
      backward: (dy, needDx, grads) => {
        const x = input as tf.Tensor;
        // ReLU's gradient from its output: y > 0 exactly where the pre-activation is.
        const dz = relu ? reluGrad(dy, output as tf.Tensor) : dy;
        grads.set(kernel, tf.matMul(x, dz, true, false));
        if (bias) grads.set(bias, tf.sum(dz, 0));
        return needDx ? tf.matMul(dz, kernel, false, true) : undefined;
      },
    };
  };
}

function relu(): StageFactory {
  return () => {
    let input: tf.Tensor | undefined;
    return {
      forward: (x) => {
        input = x;
        return tf.relu(x);
      },
      backward: (dy, needDx) => (needDx ? reluGrad(dy, input as tf.Tensor) : undefined),
    };
  };
}

const identity: StageFactory = () => ({ forward: (x) => x, backward: (dy, needDx) => (needDx ? dy : undefined) });

function dropout(layer: tfl.layers.Layer): StageFactory {
  return () => {
    let multiplier: tf.Tensor | undefined;
    return {
      forward: (x) => {
        // Drawn here, in layer order, as the layer's own call would draw it.
        const parts = dropoutParts(layer);
        if (!parts || parts.rate === 0) return x;
        multiplier = dropoutMultiplier(x.shape, parts.rate, parts.seed);
        return tf.mul(x, multiplier);
      },
      backward: (dy, needDx) => (needDx ? (multiplier ? tf.mul(dy, multiplier) : dy) : undefined),
    };
  };
}

function flatten(): StageFactory {
  return () => {
    let shape: number[] = [];
    return {
      forward: (x) => {
        shape = x.shape;
        return tf.reshape(x, [x.shape[0], -1]);
      },
      backward: (dy, needDx) => (needDx ? tf.reshape(dy, shape) : undefined),
    };
  };
}

function batchNorm(parts: NonNullable<ReturnType<typeof fastBatchNormParts>>): StageFactory {
  const { gamma, beta, epsilon } = parts;
  return () => {
    let saved: tf.Tensor[] = [];
    return {
      forward: (x) => {
        const [y, mean, invStd] = batchNormTrainForward(x, gamma, beta, epsilon);
        parts.updateMovingStats(mean, varianceFromInvStd(invStd, epsilon), x.size / (x.shape[x.rank - 1] as number));
        saved = [x, mean, invStd];
        return y;
      },
      backward: (dy, needDx, grads) => {
        const [x, mean, invStd] = saved;
        const [dx, dGamma, dBeta] = batchNormTrainBackward(dy, x, gamma, mean, invStd);
        grads.set(gamma, dGamma);
        grads.set(beta, dBeta);
        return needDx ? dx : undefined;
      },
    };
  };
}

/**
 * The fused step for `model` on inputs shaped like `inputShape`, training `variables`; undefined
 * when the model is not a Sequential stack of supported layers, a layer is frozen or used twice or
 * regularized, or the variables are not exactly its weights.
 */
export function planFusedBackprop(model: tfl.LayersModel, inputShape: number[], variables: tf.Variable[], loss: LossName): FusedBackprop | undefined {
  if (model.getClassName() !== 'Sequential') return undefined;
  const factories: StageFactory[] = [];
  const owned = new Set<tf.Variable>();
  let rank = inputShape.length;
  const layers = model.layers;
  // A layer used twice would need its gradients summed; a regularizer adds to the loss: the tape does both.
  if (new Set(layers).size !== layers.length) return undefined;
  if (layers.some((l) => l.losses.length > 0)) return undefined;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const kind = layer.getClassName();
    if (!layer.trainable && layer.weights.length > 0) return undefined;
    for (const w of layer.trainableWeights) owned.add(w.read() as tf.Variable);
    if (kind === 'InputLayer') continue;
    if (kind === 'Dense') {
      const act = activationName(layer);
      if (rank !== 2 || (act !== 'linear' && act !== 'relu')) return undefined;
      // A linear Dense followed by a ReLU activation layer runs as one fused product.
      const next = layers[i + 1];
      const fuseNext = act === 'linear' && next?.getClassName() === 'Activation' && activationName(next) === 'relu';
      factories.push(dense(layer, act === 'relu' || fuseNext));
      if (fuseNext) i++;
    } else if (kind === 'Activation') {
      const act = activationName(layer);
      if (act === 'relu') factories.push(relu());
      else if (act === 'linear') factories.push(identity);
      else return undefined;
    } else if (kind === 'Dropout') {
      if ((layer as unknown as { noiseShape?: unknown }).noiseShape != null) return undefined;
      factories.push(dropout(layer));
    } else if (kind === 'Flatten') {
      factories.push(flatten());
      rank = 2;
    } else if (kind === 'BatchNormalization') {
      const parts = fastBatchNormParts(layer, rank);
      if (!parts) return undefined;
      factories.push(batchNorm(parts));
    } else return undefined;
  }
  if (owned.size !== variables.length || variables.some((v) => !owned.has(v))) return undefined;
  return {
    run: (xs, ys, labelSmoothing) => {
      const stages = factories.map((f) => f());
      const grads = new Map<tf.Variable, tf.Tensor>();
      const kept = tf.tidy(() => {
        let h = xs;
        for (const s of stages) h = s.forward(h);
        const logits = h;
        const lossValue = lossFromLogits(loss, ys, logits, labelSmoothing);
        let dy: tf.Tensor | undefined = lossGradFromLogits(loss, ys, logits, labelSmoothing);
        // The input batch needs no gradient: the first stage stops there.
        for (let i = stages.length - 1; i >= 0 && dy; i--) dy = stages[i].backward(dy, i > 0, grads);
        return [lossValue, logits, ...variables.map((v) => grads.get(v) as tf.Tensor)];
      });
      const [lossValue, logits, ...out] = kept;
      return { loss: lossValue as tf.Scalar, logits, grads: out };
    },
  };
}
