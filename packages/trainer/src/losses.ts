import * as tf from '@tensorflow/tfjs-core';

export type LossName = 'categoricalCrossentropy' | 'binaryCrossentropy';

/**
 * The targets label smoothing trains on: mixed with the uniform distribution over the classes
 * (0.5 for the sigmoid loss's single logit). Both the loss and its gradient use this one rule.
 */
function smoothedTargets(name: LossName, targets: tf.Tensor, classes: number, labelSmoothing: number): tf.Tensor {
  if (!labelSmoothing) return targets;
  const share = name === 'binaryCrossentropy' ? 0.5 * labelSmoothing : labelSmoothing / classes;
  return tf.add(tf.mul(targets, 1 - labelSmoothing), share);
}

/**
 * Targets as one row per example: class indices (`[n]`, DataLoader's `labels: 'index'`, what
 * nn.CrossEntropyLoss and Keras' sparse loss take) become one-hot rows of the logits' width;
 * one-hot or soft rows pass through. The sigmoid loss's single logit takes `[n]` as it is.
 */
export function targetRows(name: LossName, targets: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const classes = logits.shape[logits.shape.length - 1] as number;
  if (name === 'binaryCrossentropy') return binaryTargets(targets, logits);
  if (targets.rank !== logits.rank - 1) return targets;
  return tf.oneHot(tf.cast(targets, 'int32'), classes);
}

/** The sigmoid loss's targets for one logit: two-class one-hot rows (the DataLoader's default) become the second column. */
function binaryTargets(targets: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const oneLogit = logits.shape[logits.shape.length - 1] === 1;
  if (oneLogit && targets.rank === logits.rank && targets.shape[targets.rank - 1] === 2) return tf.slice(targets, [0, 1], [targets.shape[0], 1]);
  return targets;
}

/**
 * Mean loss from logits, as PyTorch's CrossEntropyLoss (softmax) or BCEWithLogitsLoss (sigmoid).
 * `targets` are one-hot or soft labels, or class indices; label smoothing mixes them with the uniform distribution.
 */
export function lossFromLogits(name: LossName, targets: tf.Tensor, logits: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1] as number;
    const y = smoothedTargets(name, targetRows(name, targets, logits), classes, labelSmoothing);
    if (name === 'binaryCrossentropy') return tf.losses.sigmoidCrossEntropy(tf.reshape(y, logits.shape), logits) as tf.Scalar;
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, logp), -1))) as tf.Scalar;
  });
}

/**
 * The gradient of lossFromLogits with respect to the logits, in closed form: (softmax(z) * Σy - y) / n
 * for softmax cross-entropy (Σy is 1 for one-hot or smoothed labels), (sigmoid(z) - y) / size for
 * the sigmoid one. What a fused training step starts its backward pass from.
 */
export function lossGradFromLogits(name: LossName, targets: tf.Tensor, logits: tf.Tensor, labelSmoothing = 0): tf.Tensor {
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1] as number;
    const y = smoothedTargets(name, targetRows(name, targets, logits), classes, labelSmoothing);
    if (name === 'binaryCrossentropy') return tf.div(tf.sub(tf.sigmoid(logits), tf.reshape(y, logits.shape)), logits.size);
    const rows = logits.size / classes;
    return tf.div(tf.sub(tf.mul(tf.softmax(logits), tf.sum(y, -1, true)), y), rows);
  });
}

/** Number of rows whose arg-max matches the target's arg-max or class index (or sign, for one logit), read synchronously: on WebGPU in Node, read `correctCount` with `await data()`. */
export function countCorrect(targets: tf.Tensor, logits: tf.Tensor): number {
  return tf.tidy(() => correctCount(targets, logits).dataSync()[0]);
}

/** `countCorrect` as an int32 scalar on the backend, to read asynchronously (WebGPU in Node cannot read synchronously). */
export function correctCount(targets: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (logits.shape[logits.shape.length - 1] === 1 || logits.rank === 1) {
      const pred = tf.greaterEqual(tf.reshape(logits, [-1]), 0);
      const truth = tf.greaterEqual(tf.reshape(binaryTargets(targets, logits), [-1]), 0.5);
      return tf.sum(tf.cast(tf.equal(pred, truth), 'int32'));
    }
    const truth = targets.rank === logits.rank - 1 ? tf.cast(targets, 'int32') : tf.argMax(targets, -1);
    return tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), truth), 'int32'));
  });
}
