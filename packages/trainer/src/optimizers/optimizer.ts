import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../trainer-error';
import { checkNonNegative } from './check-options';

/** A slot tensor of an optimizer (momentum, moments...) as plain data, for checkpoints. */
export interface SlotData {
  shape: number[];
  values: number[];
}

export interface OptimizerState {
  name: string;
  lr: number;
  /** Calls of `apply` so far. */
  step: number;
  /**
   * Updates each variable has received, by its position (torch.optim's per-parameter
   * `state['step']`). Checkpoints written before per-variable state lack it: every variable with
   * slots then counts `step` updates.
   */
  steps?: Record<string, number>;
  /** slots[variable position][slotName] */
  slots: Record<string, Record<string, SlotData>>;
  /**
   * Which list the positions index: `'allVariables'` (fit's checkpoints since per-variable state,
   * so a variable unfrozen during the run keeps its slots), else the trainable variables at the
   * run's start (older checkpoints).
   */
  keyedBy?: 'allVariables';
}

/** One variable's state, created on its first update, as torch.optim's `optimizer.state[p]`. */
interface ParamState {
  /** Updates this variable has received (Adam's bias correction counts these). */
  step: number;
  slots: Map<string, tf.Variable>;
}

// Variable names must be unique in the engine; slots of re-created optimizers get fresh ones.
let slotCounter = 0;

/**
 * Base of our optimizers. Unlike tfjs's, the learning rate may change every step, a per-variable
 * multiplier gives discriminative learning rates (fine-tuning), and the whole state can be saved
 * and restored for exact resume. As in torch.optim, the state is per variable: a variable that gets
 * no gradient in a step (absent from `vars`, or its gradient missing) is not updated, does not count
 * the step, and its slots (momentum, moments) are created at its first update.
 */
export abstract class Optimizer {
  abstract readonly name: string;
  lr: number;
  /** Calls of `apply` so far. Each variable counts its own updates (see `stepOf`). */
  step = 0;
  /** Learning-rate multiplier per variable name (default 1). */
  readonly lrMultipliers = new Map<string, number>();
  private readonly params = new Map<string, ParamState>();

  /** `lr` is a finite number >= 0, as torch.optim takes it (0 included). */
  constructor(lr: number) {
    this.lr = checkNonNegative('lr', lr);
  }

  /**
   * The momentum a schedule may cycle (OneCycleLR): SGD's and RMSprop's `momentum`, Adam's β1.
   * Undefined for an optimizer without one.
   */
  getMomentum(): number | undefined {
    return undefined;
  }

  /** Sets what `getMomentum` reads; takes effect from the next update. */
  setMomentum(_momentum: number): void {
    throw new TrainerError(`${this.name}: has no momentum or beta1 to set`);
  }

  /** Updates variable `v` has received (0 before its first). */
  stepOf(v: tf.Variable): number {
    return this.params.get(v.name)?.step ?? 0;
  }

  private param(v: tf.Variable): ParamState {
    let p = this.params.get(v.name);
    if (!p) {
      p = { step: 0, slots: new Map() };
      this.params.set(v.name, p);
    }
    return p;
  }

  /** Whether variable `v` has the slot `slot` yet. */
  protected hasSlot(v: tf.Variable, slot: string): boolean {
    return this.params.get(v.name)?.slots.has(slot) ?? false;
  }

  /** The slot `slot` of variable `v`, created on first use from `init` (default zeros; copied). */
  protected slot(v: tf.Variable, slot: string, init?: tf.Tensor): tf.Variable {
    const bySlot = this.param(v).slots;
    let s = bySlot.get(slot);
    if (!s) {
      const value = tf.tidy(() => (init ? tf.clone(init) : tf.zerosLike(v)));
      s = tf.variable(value, false, `${v.name}/${slot}_${slotCounter++}`);
      value.dispose();
      bySlot.set(slot, s);
    }
    return s;
  }

  protected lrFor(v: tf.Variable): number {
    return this.lr * (this.lrMultipliers.get(v.name) ?? 1);
  }

  /**
   * Applies one update; `grads[i]` is the gradient of `vars[i]`. A variable without a gradient is
   * skipped (its own step count stays). Does not dispose the gradients.
   */
  apply(vars: tf.Variable[], grads: (tf.Tensor | undefined)[]): void {
    this.step++;
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const g = grads[i];
        if (!g) return;
        const p = this.param(v);
        p.step++;
        this.update(v, g, p.step);
      });
    });
  }

  /** One update of `v` with gradient `g`; `step` counts this variable's updates, this one included (1-based). */
  protected abstract update(v: tf.Variable, g: tf.Tensor, step: number): void;

  /**
   * The state, with slots and step counts keyed by each variable's position in `vars` (names
   * differ between processes and model instances; positions do not).
   */
  async getState(vars: tf.Variable[]): Promise<OptimizerState> {
    const slots: OptimizerState['slots'] = {};
    const steps: Record<string, number> = {};
    for (const [i, v] of vars.entries()) {
      const p = this.params.get(v.name);
      if (!p) continue;
      steps[i] = p.step;
      slots[i] = {};
      for (const [slot, t] of p.slots) slots[i][slot] = { shape: t.shape, values: Array.from(await t.data()) };
    }
    return { name: this.name, lr: this.lr, step: this.step, steps, slots };
  }

  /** Restores a state from `getState`; `vars` must list the variables in the same order. Replaces (and disposes) the current slots. */
  setState(state: OptimizerState, vars: tf.Variable[]): void {
    if (state.name !== this.name) throw new TrainerError(`optimizer state is for ${state.name}, not ${this.name}`);
    this.dispose();
    this.lr = state.lr;
    this.step = state.step;
    for (const [i, v] of vars.entries()) {
      const saved = state.slots[i];
      const step = state.steps?.[i] ?? (saved ? state.step : undefined);
      if (step === undefined && !saved) continue;
      const p = this.param(v);
      p.step = step ?? 0;
      for (const [slot, data] of Object.entries(saved ?? {})) {
        const size = data.shape.reduce((a, b) => a * b, 1);
        if (data.shape.join() !== v.shape.join() || data.values.length !== size) {
          this.dispose();
          throw new TrainerError(`optimizer state: slot ${slot} of variable ${i} has shape [${data.shape}], expected [${v.shape}]`);
        }
        const value = tf.tensor(data.values, data.shape, 'float32');
        this.slot(v, slot, value);
        value.dispose();
      }
    }
  }

  /** Disposes every slot; the next update starts each variable afresh. */
  dispose(): void {
    for (const p of this.params.values()) for (const t of p.slots.values()) t.dispose();
    this.params.clear();
  }
}
