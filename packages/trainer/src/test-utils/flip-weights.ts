import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '../callbacks/callback';

/**
 * From epoch `from` on, every batch flips the trainable weights' signs: validation gets worse, so
 * the best epoch is never the last one and early stopping has work (a test's way to wreck a run).
 */
export class FlipWeightsFrom extends Callback {
  private epoch = 0;
  constructor(private readonly from: number) {
    super();
  }
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  onBatchEnd(): void {
    if (this.epoch < this.from) return;
    for (const v of this.trainer.model.trainableVariables()) {
      const flipped = tf.neg(v);
      v.assign(flipped);
      flipped.dispose();
    }
  }
}
