import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkFinite, checkNesterov, checkNonNegative } from './check-options';
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
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.dampening = checkFinite('dampening', options.dampening ?? 0);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.nesterov = checkBoolean('nesterov', options.nesterov ?? false);
    this.maximize = checkBoolean('maximize', options.maximize ?? false);
    checkNesterov('nesterov', this.nesterov, this.momentum, this.dampening);
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
