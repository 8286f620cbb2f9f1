import type * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../trainer-error';
import type { Callback, Logs, TrainerControl } from './callback';

/** One callback's saved state: JSON values and tensors (owned by the callback). */
export interface CallbackSnapshot {
  state: Record<string, unknown>;
  tensors: tf.Tensor[];
}

/**
 * Owns the order of every hook (tfjs-layers' CallbackList): callbacks run in list order, each
 * hook awaited before the next. At an epoch's end every `onEpochEnd` runs, then every
 * `afterEpochEnd` (where checkpoints are written). On resume: `setTrainer`, `onTrainBegin`, then
 * `setState` with the checkpoint's state.
 */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  /**
   * Each callback's key: its class name and how many of that class come before it
   * ('EarlyStopping#0'). A resume gives each callback the state saved under its key.
   */
  keys(): string[] {
    const seen = new Map<string, number>();
    return this.callbacks.map((cb) => {
      const name = cb.constructor.name;
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      return `${name}#${n}`;
    });
  }

  setTrainer(control: TrainerControl): void {
    for (const cb of this.callbacks) cb.setTrainer(control);
  }

  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin?.(logs);
  }

  /**
   * After `trainBegin`: puts back what `snapshot` saved, matched by key (as Lightning restores
   * callback states): a callback added since starts fresh, and the state of one removed since is
   * dropped. Without keys (older checkpoints) the match is by position.
   */
  restore(snapshots: CallbackSnapshot[], savedKeys?: string[]): void {
    const keys = this.keys();
    const used = new Set<number>();
    this.callbacks.forEach((cb, i) => {
      const at = savedKeys ? savedKeys.indexOf(keys[i]) : i;
      const saved = at >= 0 ? snapshots[at] : undefined;
      if (!saved) return;
      used.add(at);
      if (cb.setState) cb.setState(saved.state, saved.tensors);
      else for (const t of saved.tensors) t.dispose();
    });
    snapshots.forEach((s, i) => {
      if (!used.has(i)) for (const t of s.tensors) t.dispose();
    });
  }

  snapshot(): CallbackSnapshot[] {
    return this.callbacks.map((cb) => ({ state: cb.getState?.() ?? {}, tensors: cb.getStateTensors?.() ?? [] }));
  }

  /** The one callback's weights that validation measures, or undefined; two such callbacks are refused. */
  validationWeights(): readonly tf.Tensor[] | undefined {
    return this.single('validationWeights');
  }

  /** The one callback's weights the model ends with, or undefined; two such callbacks are refused. */
  finalWeights(): readonly tf.Tensor[] | undefined {
    return this.single('finalWeights');
  }

  private single(hook: 'validationWeights' | 'finalWeights'): readonly tf.Tensor[] | undefined {
    const keys = this.keys();
    let found: { key: string; weights: readonly tf.Tensor[] } | undefined;
    this.callbacks.forEach((cb, i) => {
      const weights = cb[hook]?.();
      if (!weights) return;
      if (found) throw new TrainerError(`callbacks: ${found.key} and ${keys[i]} both supply the model's ${hook}; a run takes one`);
      found = { key: keys[i], weights };
    });
    return found?.weights;
  }

  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochBegin?.(epoch, logs);
  }

  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchBegin?.(batch, logs);
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchEnd?.(batch, logs);
  }

  async validationBegin(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onValidationBegin?.(epoch, logs);
  }

  async validationEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onValidationEnd?.(epoch, logs);
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd?.(epoch, logs);
    for (const cb of this.callbacks) await cb.afterEpochEnd?.(epoch, logs);
  }

  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd?.(logs);
  }
}
