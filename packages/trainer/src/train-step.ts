import * as tf from '@tensorflow/tfjs-core';
import { planFusedBackprop } from './fused-backprop';
import { correctCount, type LossName, lossFromLogits } from './losses';
import type { Optimizer } from './optimizers/optimizer';
import { runsLayersModelAsIs, type Trainable } from './trainable';
import { TrainerError } from './trainer-error';

/**
 * What a training step computes: the loss, its label smoothing and the gradients' clipping. Shared
 * by `fit` and `trainStep`, and part of a run's fingerprint.
 */
export interface StepHyperparameters {
  /** Default 'categoricalCrossentropy' (softmax cross-entropy on logits). */
  loss?: LossName;
  /** Default 0. */
  labelSmoothing?: number;
  /** Clip gradients by global norm (`norm`) or element-wise (`value`). Default none. */
  gradientClip?: { norm?: number; value?: number };
}

export interface TrainStepOptions extends StepHyperparameters {
  /** Count correct predictions (one extra small sync). Default true. */
  accuracy?: boolean;
  /**
   * Compute the gradients with the fused step where the model allows it (a Sequential stack of
   * Dense, BatchNormalization, ReLU, Dropout and Flatten layers: see fused-backprop.ts), else with
   * tfjs's tape. Both give the same gradients; false always uses the tape. Default true.
   */
  fused?: boolean;
}

/**
 * Clips gradients (PyTorch's clip_grad_value_ then clip_grad_norm_). A missing gradient (a
 * variable the loss does not reach this step) stays missing and is left out of the norm, as torch
 * skips `grad is None`.
 */
export function clipGradients<G extends tf.Tensor | undefined>(grads: G[], clip: TrainStepOptions['gradientClip']): G[] {
  if (!clip) return grads;
  let out: (tf.Tensor | undefined)[] = grads;
  if (clip.value !== undefined) {
    const v = clip.value;
    out = out.map((g) => g && tf.clipByValue(g, -v, v));
  }
  const present = out.filter((g): g is tf.Tensor => g !== undefined);
  if (clip.norm !== undefined && present.length > 0) {
    const total = tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g)))));
    const coef = tf.minimum(tf.div(clip.norm, tf.add(total, 1e-6)), 1);
    out = out.map((g) => g && tf.mul(g, coef));
  }
  return out as G[];
}

/**
 * The one line `trainStep` throws where no synchronous read can work: tfjs's WebGPU backend reads
 * a GPU tensor synchronously through an OffscreenCanvas, which Node lacks.
 */
export const TRAIN_STEP_SYNC_ERROR =
  'trainStep reads the loss synchronously, which the webgpu backend cannot do in Node: use await trainStepAsync(model, optimizer, xs, ys, options) (the same step and values)';

/**
 * One optimisation step on a batch: forward in training mode, loss, gradients of the trainable
 * variables, clipping, update. Returns the batch loss and the number of correct predictions,
 * read synchronously: on WebGPU in Node it throws `TRAIN_STEP_SYNC_ERROR` before changing
 * anything (use `trainStepAsync` there). Leaves no tensors behind; does not dispose `xs`/`ys`.
 */
export function trainStep(
  model: Trainable,
  optimizer: Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: TrainStepOptions = {},
): { loss: number; correct: number } {
  if (tf.getBackend() === 'webgpu' && !('OffscreenCanvas' in globalThis)) throw new TrainerError(TRAIN_STEP_SYNC_ERROR, { kind: 'failure' });
  const { loss, correct } = stepOnBackend(model, optimizer, xs, ys, options);
  try {
    return { loss: loss.dataSync()[0], correct: correct ? correct.dataSync()[0] : 0 };
  } finally {
    tf.dispose(correct ? [loss, correct] : [loss]);
  }
}

/**
 * `trainStep` reading its two numbers with `await data()`, as `fit` runs it: the same values on
 * every backend, and WebGPU in Node (which cannot read a GPU tensor synchronously) can run it.
 */
export async function trainStepAsync(
  model: Trainable,
  optimizer: Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: TrainStepOptions = {},
): Promise<{ loss: number; correct: number }> {
  const { loss, correct } = stepOnBackend(model, optimizer, xs, ys, options);
  try {
    const [lossValue, correctValue] = await Promise.all([loss.data(), correct?.data()]);
    return { loss: lossValue[0], correct: correctValue ? correctValue[0] : 0 };
  } finally {
    tf.dispose(correct ? [loss, correct] : [loss]);
  }
}

/** The step's work, nothing read back: the loss and the correct count (without `accuracy: false`) as scalars the caller disposes. */
function stepOnBackend(
  model: Trainable,
  optimizer: Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: TrainStepOptions,
): { loss: tf.Scalar; correct: tf.Scalar | undefined } {
  const vars = model.trainableVariables();
  const lossName = options.loss ?? 'categoricalCrossentropy';
  const labelSmoothing = options.labelSmoothing ?? 0;
  // The fused step computes what the layers model computes: never past a custom forward.
  const fused =
    options.fused !== false && model.layersModel && runsLayersModelAsIs(model) ? planFusedBackprop(model.layersModel, xs.shape, vars, lossName) : undefined;
  let value: tf.Scalar;
  let logits: tf.Tensor | undefined;
  // A variable the loss does not reach this step (a custom forward's unused branch) has none.
  let grads: (tf.Tensor | undefined)[];
  if (fused) ({ loss: value, logits, grads } = fused.run(xs, ys, labelSmoothing));
  else {
    const taped = tf.variableGrads(() => {
      logits = tf.keep(model.forward(xs, true));
      const dataLoss = lossFromLogits(lossName, ys, logits, labelSmoothing);
      // Regularizer penalties, as tfjs-layers' model.fit adds them (the logged loss includes them).
      const penalties = model.regularizationLosses?.() ?? [];
      return penalties.length > 0 ? (tf.addN([dataLoss, ...penalties]) as tf.Scalar) : dataLoss;
    }, vars);
    value = taped.value;
    grads = vars.map((v) => taped.grads[v.name]);
  }
  let done = false;
  try {
    tf.tidy(() => optimizer.apply(vars, clipGradients(grads, options.gradientClip)));
    const correct = options.accuracy === false || !logits ? undefined : correctCount(ys, logits);
    done = true;
    return { loss: value, correct };
  } finally {
    tf.dispose([...(done ? [] : [value]), ...(logits ? [logits] : []), ...grads.filter((g): g is tf.Tensor => g !== undefined)]);
  }
}
