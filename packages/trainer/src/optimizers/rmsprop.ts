import * as tf from '@tensorflow/tfjs-core';
import { Optimizer } from './optimizer';

export interface RMSpropOptions {
  lr?: number;
  /** Default 0.99 (PyTorch). */
  alpha?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 0. */
  weightDecay?: number;
}

/** torch.optim.RMSprop (non-centered). */
export class RMSprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weightDecay: number;

  constructor(options: RMSpropOptions = {}) {
    super(options.lr ?? 1e-2);
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
  }

  protected update(v: tf.Variable, g: tf.Tensor): void {
    const grad = this.weightDecay ? tf.add(g, tf.mul(v, this.weightDecay)) : g;
    const sq = this.slot(v, 'square_avg');
    const sqNext = tf.add(tf.mul(sq, this.alpha), tf.mul(tf.square(grad), 1 - this.alpha));
    sq.assign(sqNext);
    const step = tf.div(grad, tf.add(tf.sqrt(sqNext), this.eps));
    if (this.momentum) {
      const buf = this.slot(v, 'momentum');
      const next = tf.add(tf.mul(buf, this.momentum), step);
      buf.assign(next);
      v.assign(tf.sub(v, tf.mul(next, this.lrFor(v))));
    } else {
      v.assign(tf.sub(v, tf.mul(step, this.lrFor(v))));
    }
  }
}
