import * as tf from '@tensorflow/tfjs-core';
import { Optimizer } from './optimizer';
import { TrainerError } from '../trainer-error';

export interface SGDOptions {
  lr: number;
  /** Default 0. */
  momentum?: number;
  /** Default 0 (PyTorch's dampening). */
  dampening?: number;
  /** L2 penalty added to the gradient, as torch.optim.SGD. Default 0. */
  weightDecay?: number;
  /** Default false. */
  nesterov?: boolean;
}

/** torch.optim.SGD, with the same momentum and Nesterov formulas. */
export class SGD extends Optimizer {
  readonly name = 'sgd';
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions) {
    super(options.lr);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) throw new TrainerError('nesterov: needs momentum > 0 and dampening 0');
  }

  protected update(v: tf.Variable, g: tf.Tensor): void {
    let d = this.weightDecay ? tf.add(g, tf.mul(v, this.weightDecay)) : g;
    if (this.momentum) {
      const buf = this.slot(v, 'momentum');
      // PyTorch: the first step initialises the buffer with the gradient itself.
      const next = this.step === 1 ? d : tf.add(tf.mul(buf, this.momentum), tf.mul(d, 1 - this.dampening));
      buf.assign(next);
      d = this.nesterov ? tf.add(d, tf.mul(next, this.momentum)) : next;
    }
    v.assign(tf.sub(v, tf.mul(d, this.lrFor(v))));
  }
}
