import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from './model-error';
import { mixSeed } from './seeds';

export interface SimpleNNOptions {
  /** Input features. Default 784. */
  inputs?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

export interface SimpleNNGradients {
  dW: tf.Tensor2D;
  db: tf.Tensor1D;
}

/**
 * log(v) clamped at -100, as torch.nn.BCELoss clamps its logs (log 0 = -100): a prediction of
 * exactly 0 or 1 costs 100, not infinity. Its gradient stays finite where v is 0.
 */
function clampedLog(v: tf.Tensor): tf.Tensor {
  const positive = tf.greater(v, 0);
  return tf.where(positive, tf.maximum(tf.log(tf.where(positive, v, tf.onesLike(v))), -100), tf.fill(v.shape, -100));
}

let instances = 0;

/**
 * The one line `SimpleNN.trainStep` throws where no synchronous read can work: tfjs's WebGPU
 * backend reads a GPU tensor synchronously through an OffscreenCanvas, which Node lacks.
 */
export const SIMPLE_NN_SYNC_ERROR =
  'SimpleNN.trainStep reads the loss synchronously, which the webgpu backend cannot do in Node: use await trainStepAsync(x, y, lr) (the same step and values)';

/**
 * Stage 1: one linear layer + sigmoid for a binary task, on raw tfjs-core variables, with the
 * binary cross-entropy and its gradients written by hand (no autodiff):
 *   p = sigmoid(xW + b),  L = -mean(y log p + (1 - y) log(1 - p)),
 *   dL/dz = (p - y) / n,  dW = xᵀ (p - y) / n,  db = mean(p - y).
 */
export class SimpleNN {
  readonly W: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  readonly inputs: number;

  constructor(options: SimpleNNOptions = {}) {
    this.inputs = options.inputs ?? 784;
    if (!Number.isInteger(this.inputs) || this.inputs < 1) throw new ModelError(`inputs: expected a positive integer, got ${this.inputs}`);
    const limit = 1 / Math.sqrt(this.inputs); // as torch.nn.Linear
    const seed = options.seed ?? 0;
    // Variable names are global in tfjs: each instance takes its own, so several can live at once.
    const name = `simple_nn_${instances++}`;
    [this.W, this.b] = tf.tidy(() => [
      tf.variable(tf.randomUniform([this.inputs, 1], -limit, limit, 'float32', mixSeed(seed, 0)), true, `${name}/W`) as tf.Variable<tf.Rank.R2>,
      tf.variable(tf.randomUniform([1], -limit, limit, 'float32', mixSeed(seed, 1)), true, `${name}/b`) as tf.Variable<tf.Rank.R1>,
    ]);
  }

  private checkInput(x: tf.Tensor): void {
    if (x.rank !== 2 || x.shape[1] !== this.inputs) {
      throw new ModelError(`SimpleNN input: expected shape [n, ${this.inputs}], got [${x.shape.join(', ')}]`);
    }
  }

  /** Probabilities p = sigmoid(xW + b), shape [n]. */
  forward(x: tf.Tensor): tf.Tensor1D {
    this.checkInput(x);
    return tf.tidy(() => tf.reshape(tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, this.W), this.b)), [-1]) as tf.Tensor1D);
  }

  /**
   * torch.nn.BCELoss: the mean binary cross-entropy of probabilities p against targets y (same
   * shape), logs clamped at -100, and torch's gradient, (p - y) / max(p(1 - p), 1e-12) / n, which
   * is 0 where p is exactly 0 or 1.
   */
  static bceLoss(p: tf.Tensor, y: tf.Tensor): tf.Scalar {
    if (!tf.util.arraysEqual(p.shape, y.shape)) {
      throw new ModelError(`bceLoss y: expected the shape of p, [${p.shape.join(', ')}], got [${y.shape.join(', ')}]`);
    }
    const op = tf.customGrad(((pp: tf.Tensor, yy: tf.Tensor, save: tf.GradSaveFunc) => {
      save([pp, yy]);
      const ll = tf.add(tf.mul(yy, clampedLog(pp)), tf.mul(tf.sub(1, yy), clampedLog(tf.sub(1, pp))));
      return {
        value: tf.neg(tf.mean(ll)),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [sp, sy]: tf.Tensor[]) => {
          const scale = tf.div(dy as tf.Tensor, sp.size);
          const dp = tf.mul(scale, tf.div(tf.sub(sp, sy), tf.maximum(tf.mul(tf.sub(1, sp), sp), 1e-12)));
          const dTarget = tf.mul(scale, tf.sub(clampedLog(tf.sub(1, sp)), clampedLog(sp)));
          return [dp, dTarget];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return tf.tidy(() => op(p, tf.cast(y, 'float32')) as tf.Scalar);
  }

  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => SimpleNN.bceLoss(this.forward(x), tf.reshape(y, [-1])));
  }

  /** The hand-written gradients of the mean BCE with respect to W and b. */
  gradients(x: tf.Tensor, y: tf.Tensor): SimpleNNGradients {
    this.checkInput(x);
    return tf.tidy(() => {
      const n = x.shape[0];
      const p = this.forward(x);
      const dz = tf.reshape(tf.div(tf.sub(p, tf.reshape(y, [-1])), n), [n, 1]) as tf.Tensor2D;
      const dW = tf.matMul(x as tf.Tensor2D, dz, true, false) as tf.Tensor2D;
      const db = tf.sum(dz, 0) as tf.Tensor1D;
      return { dW, db };
    });
  }

  /**
   * One step of plain SGD, by hand: W -= lr dW, b -= lr db. Returns the loss before the step, read
   * synchronously: on WebGPU in Node (no synchronous reads of GPU tensors) it throws
   * `SIMPLE_NN_SYNC_ERROR` before changing anything; use `trainStepAsync` there.
   */
  trainStep(x: tf.Tensor, y: tf.Tensor, lr: number): number {
    if (tf.getBackend() === 'webgpu' && !('OffscreenCanvas' in globalThis)) throw new ModelError(SIMPLE_NN_SYNC_ERROR, { kind: 'failure' });
    const loss = this.update(x, y, lr);
    try {
      return loss.dataSync()[0];
    } finally {
      loss.dispose();
    }
  }

  /** `trainStep` with the loss read by `await data()`: the same numbers, on every backend (WebGPU in Node included). */
  async trainStepAsync(x: tf.Tensor, y: tf.Tensor, lr: number): Promise<number> {
    const loss = this.update(x, y, lr);
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  }

  /** The SGD update; returns the loss before it (the caller reads and disposes it). */
  private update(x: tf.Tensor, y: tf.Tensor, lr: number): tf.Scalar {
    const loss = this.loss(x, y);
    const { dW, db } = this.gradients(x, y);
    tf.tidy(() => {
      this.W.assign(tf.sub(this.W, tf.mul(dW, lr)));
      this.b.assign(tf.sub(this.b, tf.mul(db, lr)));
    });
    tf.dispose([dW, db]);
    return loss;
  }

  /** Predicted class (0 or 1) at threshold 0.5. */
  predict(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => tf.cast(tf.greaterEqual(this.forward(x), 0.5), 'int32') as tf.Tensor1D);
  }

  /** Trainable parameters: inputs + 1. */
  countParams(): number {
    return this.inputs + 1;
  }

  dispose(): void {
    this.W.dispose();
    this.b.dispose();
  }
}
