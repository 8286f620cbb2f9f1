import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkNonNegative } from './check-options';
import { Optimizer } from './optimizer';

export interface RMSpropOptions {
  /** Default 1e-2 (PyTorch). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average. Default 0.99 (PyTorch). */
  alpha?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  momentum?: number;
  /** Normalise by the gradient's estimated variance instead of its second moment. Default false. */
  centered?: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Maximise the objective instead. Default false. */
  maximize?: boolean;
}

/** torch.optim.RMSprop: plain or centered, with or without momentum, with its formulas. */
export class RMSprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly alpha: number;
  readonly eps: number;
  /** Settable: OneCycleLR cycles it. */
  momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  readonly maximize: boolean;

  constructor(options: RMSpropOptions = {}) {
    super(options.lr ?? 1e-2);
    this.alpha = checkNonNegative('alpha', options.alpha ?? 0.99);
    this.eps = checkNonNegative('eps', options.eps ?? 1e-8);
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.centered = checkBoolean('centered', options.centered ?? false);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.maximize = checkBoolean('maximize', options.maximize ?? false);
  }

  override getMomentum(): number {
    return this.momentum;
  }

  override setMomentum(momentum: number): void {
    this.momentum = momentum;
  }

  protected update(v: tf.Variable, g: tf.Tensor): void {
    let grad = this.maximize ? tf.neg(g) : g;
    if (this.weightDecay) grad = tf.add(grad, tf.mul(v, this.weightDecay));
    const sq = this.slot(v, 'square_avg');
    const sqNext = tf.add(tf.mul(sq, this.alpha), tf.mul(tf.square(grad), 1 - this.alpha));
    sq.assign(sqNext);
    let avg: tf.Tensor;
    if (this.centered) {
      const ga = this.slot(v, 'grad_avg');
      const gaNext = tf.add(tf.mul(ga, this.alpha), tf.mul(grad, 1 - this.alpha));
      ga.assign(gaNext);
      avg = tf.add(tf.sqrt(tf.sub(sqNext, tf.square(gaNext))), this.eps);
    } else {
      avg = tf.add(tf.sqrt(sqNext), this.eps);
    }
    const step = tf.div(grad, avg);
    if (this.momentum > 0) {
      const buf = this.slot(v, 'momentum');
      const next = tf.add(tf.mul(buf, this.momentum), step);
      buf.assign(next);
      v.assign(tf.sub(v, tf.mul(next, this.lrFor(v))));
    } else {
      v.assign(tf.sub(v, tf.mul(step, this.lrFor(v))));
    }
  }
}
