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

/** Probabilities are clipped to [EPS, 1 - EPS] inside the log, as torch.nn.BCELoss clamps log at -100. */
const EPS = 1e-7;

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
    this.W = tf.variable(tf.randomUniform([this.inputs, 1], -limit, limit, 'float32', mixSeed(seed, 0)), true, 'simple_nn/W') as tf.Variable<tf.Rank.R2>;
    this.b = tf.variable(tf.randomUniform([1], -limit, limit, 'float32', mixSeed(seed, 1)), true, 'simple_nn/b') as tf.Variable<tf.Rank.R1>;
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

  /** Mean binary cross-entropy of probabilities p against 0/1 targets y. */
  static bceLoss(p: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const pc = tf.clipByValue(p, EPS, 1 - EPS);
      const ll = tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, pc))));
      return tf.neg(tf.mean(ll)) as tf.Scalar;
    });
  }

  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => SimpleNN.bceLoss(this.forward(x), y));
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

  /** One step of plain SGD, by hand: W -= lr dW, b -= lr db. Returns the loss before the step. */
  trainStep(x: tf.Tensor, y: tf.Tensor, lr: number): number {
    const loss = this.loss(x, y);
    const { dW, db } = this.gradients(x, y);
    tf.tidy(() => {
      this.W.assign(tf.sub(this.W, tf.mul(dW, lr)));
      this.b.assign(tf.sub(this.b, tf.mul(db, lr)));
    });
    const value = loss.dataSync()[0];
    tf.dispose([loss, dW, db]);
    return value;
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
