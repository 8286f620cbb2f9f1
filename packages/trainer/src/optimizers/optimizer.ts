import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../trainer-error';

/** A slot tensor of an optimizer (momentum, moments...) as plain data, for checkpoints. */
export interface SlotData {
  shape: number[];
  values: number[];
}

export interface OptimizerState {
  name: string;
  lr: number;
  step: number;
  /** slots[variable position][slotName] */
  slots: Record<string, Record<string, SlotData>>;
}

// Variable names must be unique in the engine; slots of re-created optimizers get fresh ones.
let slotCounter = 0;

/**
 * Base of our optimizers. Unlike tfjs's, the learning rate may change every step, a per-variable
 * multiplier gives discriminative learning rates (fine-tuning), and the whole state can be saved
 * and restored for exact resume.
 */
export abstract class Optimizer {
  abstract readonly name: string;
  lr: number;
  /** Steps taken (for bias correction). */
  step = 0;
  /** Learning-rate multiplier per variable name (default 1). */
  readonly lrMultipliers = new Map<string, number>();
  protected readonly slots = new Map<string, Map<string, tf.Variable>>();

  constructor(lr: number) {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new TrainerError(`lr: expected a positive number, got ${lr}`);
    this.lr = lr;
  }

  /** The slot `slot` of variable `v`, created as zeros on first use. */
  protected slot(v: tf.Variable, slot: string): tf.Variable {
    let bySlot = this.slots.get(v.name);
    if (!bySlot) {
      bySlot = new Map();
      this.slots.set(v.name, bySlot);
    }
    let s = bySlot.get(slot);
    if (!s) {
      s = tf.variable(tf.zerosLike(v), false, `${v.name}/${slot}_${slotCounter++}`);
      bySlot.set(slot, s);
    }
    return s;
  }

  protected lrFor(v: tf.Variable): number {
    return this.lr * (this.lrMultipliers.get(v.name) ?? 1);
  }

  /** Applies one update; `grads[i]` is the gradient of `vars[i]`. Does not dispose the gradients. */
  apply(vars: tf.Variable[], grads: tf.Tensor[]): void {
    this.step++;
    tf.tidy(() => {
      vars.forEach((v, i) => {
        if (grads[i]) this.update(v, grads[i]);
      });
    });
  }

  protected abstract update(v: tf.Variable, g: tf.Tensor): void;

  /**
   * The state, with slots keyed by each variable's position in `vars` (names differ between
   * processes and model instances; positions do not).
   */
  async getState(vars: tf.Variable[]): Promise<OptimizerState> {
    const slots: OptimizerState['slots'] = {};
    for (const [i, v] of vars.entries()) {
      const bySlot = this.slots.get(v.name);
      if (!bySlot) continue;
      slots[i] = {};
      for (const [slot, t] of bySlot) slots[i][slot] = { shape: t.shape, values: Array.from(await t.data()) };
    }
    return { name: this.name, lr: this.lr, step: this.step, slots };
  }

  /** Restores a state from `getState`; `vars` must list the variables in the same order. */
  setState(state: OptimizerState, vars: tf.Variable[]): void {
    if (state.name !== this.name) throw new TrainerError(`optimizer state is for ${state.name}, not ${this.name}`);
    this.lr = state.lr;
    this.step = state.step;
    this.dispose();
    for (const [i, v] of vars.entries()) {
      const saved = state.slots[i];
      if (!saved) continue;
      for (const [slot, data] of Object.entries(saved)) {
        this.slot(v, slot).assign(tf.tensor(data.values, data.shape, 'float32'));
      }
    }
  }

  dispose(): void {
    for (const bySlot of this.slots.values()) for (const t of bySlot.values()) t.dispose();
    this.slots.clear();
  }
}
