import { ADAM_UPDATE, type AdamUpdateAttrs } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkBetas, checkBoolean, checkNonNegative } from './check-options';
import { Optimizer } from './optimizer';

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (torch.optim.Adam). AdamW: decoupled decay, w *= 1 - lr * weightDecay. Default 0 (AdamW: 0.01). */
  weightDecay?: number;
  /** AMSGrad: normalise by the largest second moment seen so far. Default false. */
  amsgrad?: boolean;
  /** Maximise the objective instead (the gradient's sign flipped). Default false. */
  maximize?: boolean;
}

/** torch.optim.Adam: bias-corrected moments (counted per variable); weight decay as an L2 term in the gradient. */
export class Adam extends Optimizer {
  readonly name: string = 'adam';
  /** β1 is settable (OneCycleLR cycles it). */
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  protected readonly decoupled: boolean = false;

  constructor(options: AdamOptions = {}) {
    super(options.lr ?? 1e-3);
    // A copy: a schedule that cycles β1 must not write into the caller's array.
    this.betas = checkBetas('betas', options.betas ?? [0.9, 0.999]);
    this.eps = checkNonNegative('eps', options.eps ?? 1e-8);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.amsgrad = checkBoolean('amsgrad', options.amsgrad ?? false);
    this.maximize = checkBoolean('maximize', options.maximize ?? false);
  }

  override getMomentum(): number {
    return this.betas[0];
  }

  override setMomentum(beta1: number): void {
    this.betas[0] = beta1;
  }

  protected update(v: tf.Variable, g: tf.Tensor, step: number): void {
    const [b1, b2] = this.betas;
    const lr = this.lrFor(v);
    const grad0 = this.maximize ? tf.neg(g) : g;
    if (!this.amsgrad && tf.getKernel(ADAM_UPDATE, tf.getBackend()) && v.dtype === 'float32') {
      // One fused kernel instead of ~10 (registered by @fmnist/backend on wasm and cpu).
      const attrs: AdamUpdateAttrs = { lr, beta1: b1, beta2: b2, eps: this.eps, step, weightDecay: this.weightDecay, decoupled: this.decoupled };
      const [w2, m2, v2] = tf
        .engine()
        .runKernel(ADAM_UPDATE, { w: v, g: grad0, m: this.slot(v, 'm'), v: this.slot(v, 'v') }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      this.slot(v, 'm').assign(m2);
      this.slot(v, 'v').assign(v2);
      v.assign(w2);
      return;
    }
    const grad = this.weightDecay && !this.decoupled ? tf.add(grad0, tf.mul(v, this.weightDecay)) : grad0;
    const m = this.slot(v, 'm');
    const s = this.slot(v, 'v');
    const mNext = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1));
    const sNext = tf.add(tf.mul(s, b2), tf.mul(tf.square(grad), 1 - b2));
    m.assign(mNext);
    s.assign(sNext);
    let second: tf.Tensor = sNext;
    if (this.amsgrad) {
      const max = this.slot(v, 'max_v');
      second = tf.maximum(max, sNext);
      max.assign(second);
    }
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    // w -= lr / c1 * m / (sqrt(v / c2) + eps), as PyTorch computes it.
    const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(c2)), this.eps);
    let w: tf.Tensor = v;
    if (this.weightDecay && this.decoupled) w = tf.mul(w, 1 - lr * this.weightDecay);
    v.assign(tf.sub(w, tf.mul(tf.div(mNext, denom), lr / c1)));
  }
}

/** torch.optim.AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), which tfjs lacks. */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  protected override readonly decoupled = true;

  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.01 });
  }
}
