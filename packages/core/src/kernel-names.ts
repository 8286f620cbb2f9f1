// The names of our custom tfjs kernels, defined once (as tfjs-core's kernel_names.ts does): the
// op that runs a kernel and the backend that registers it both import them, so a typo cannot
// silently take the slow path. Inputs and attrs are typed beside each name.

/** Batch normalisation in training mode: normalised output, batch mean and inverse std. */
export const BATCH_NORM_TRAIN = 'FmnistBatchNormTrain';
export type BatchNormTrainInputs = 'x' | 'gamma' | 'beta';
export interface BatchNormTrainAttrs {
  epsilon: number;
}

/** The gradient of BATCH_NORM_TRAIN: dx, dGamma, dBeta. */
export const BATCH_NORM_TRAIN_GRAD = 'FmnistBatchNormTrainGrad';
export type BatchNormTrainGradInputs = 'dy' | 'x' | 'gamma' | 'mean' | 'invStd';

/** One fused Adam/AdamW step: new weights and moments. */
export const ADAM_UPDATE = 'FmnistAdamUpdate';
export type AdamUpdateInputs = 'w' | 'g' | 'm' | 'v';
export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
  weightDecay: number;
  decoupled: boolean;
}

/** ReLU's gradient in one pass: dx = dy where x > 0, else 0 (tfjs composes Step, Cast and Multiply). */
export const RELU_GRAD = 'FmnistReluGrad';
export type ReluGradInputs = 'dy' | 'x';

/** Every custom kernel name: a backend that runs our models registers each of these. */
export const CUSTOM_KERNELS = [BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, ADAM_UPDATE, RELU_GRAD] as const;
