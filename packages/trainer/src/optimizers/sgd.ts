import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../trainer-error';
import { Optimizer } from './optimizer';

export interface SGDOptions {
  lr: number;
  /** Default 0. */
  momentum?: number;
  /** Default 0 (PyTorch's dampening: the gradient enters the momentum buffer times 1 - dampening). */
  dampening?: number;
  /** L2 penalty added to the gradient, as torch.optim.SGD. Default 0. */
  weightDecay?: number;
  /** Default false. */
  nesterov?: boolean;
  /** Maximise the objective instead (the gradient's sign flipped). Default false. */
  maximize?: boolean;
}

/** torch.optim.SGD, with the same momentum, dampening, Nesterov and weight-decay formulas. */
export class SGD extends Optimizer {
  readonly name = 'sgd';
  /** Settable: OneCycleLR cycles it. */
  momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;

  constructor(options: SGDOptions) {
    super(options.lr);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.maximize = options.maximize ?? false;
    if (!(this.momentum >= 0) || !Number.isFinite(this.momentum)) throw new TrainerError(`momentum: expected a number >= 0, got ${this.momentum}`);
    if (!(this.weightDecay >= 0) || !Number.isFinite(this.weightDecay)) throw new TrainerError(`weightDecay: expected a number >= 0, got ${this.weightDecay}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) throw new TrainerError('nesterov: needs momentum > 0 and dampening 0');
  }

  override getMomentum(): number {
    return this.momentum;
  }

  override setMomentum(momentum: number): void {
    this.momentum = momentum;
  }

  protected update(v: tf.Variable, g: tf.Tensor): void {
    let d = this.maximize ? tf.neg(g) : g;
    if (this.weightDecay) d = tf.add(d, tf.mul(v, this.weightDecay));
    if (this.momentum) {
      // PyTorch: a variable's first update with momentum starts its buffer with the gradient itself.
      let buf: tf.Tensor;
      if (this.hasSlot(v, 'momentum')) {
        const slot = this.slot(v, 'momentum');
        buf = tf.add(tf.mul(slot, this.momentum), this.dampening ? tf.mul(d, 1 - this.dampening) : d);
        slot.assign(buf);
      } else {
        buf = this.slot(v, 'momentum', d);
      }
      d = this.nesterov ? tf.add(d, tf.mul(buf, this.momentum)) : buf;
    }
    v.assign(tf.sub(v, tf.mul(d, this.lrFor(v))));
  }
}
