import { DataLoader, evaluationTransform, type ImageDataset } from '@fmnist/data';
import { getModelMetadata, inputLoader, type ModelInput, modelInput } from '@fmnist/models';
import { loaderNormalization, sameNormalization } from '@fmnist/models/internal';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type LossName, lossFromLogits } from './losses';
import { isLayersModel, type Trainable, toTrainable } from './trainable';
import { TrainerError } from './trainer-error';

export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** Top-k accuracy for each requested k, e.g. { 1: 0.91, 3: 0.99 }. */
  topK: Record<number, number>;
  /** confusionMatrix[true][predicted] counts. */
  confusionMatrix: number[][];
  perClass: ClassMetrics[];
  count: number;
  /** Predicted class per example, in data order (handy for finding mistakes). */
  predictions: number[];
  labels: number[];
}

export interface EvaluateOptions {
  /** Default 'categoricalCrossentropy'. */
  loss?: LossName;
  /** Default [1, 3]. */
  topK?: number[];
  /** Called after each batch with its index and the loader's batch count (progress). */
  onBatchEnd?: (batch: number, total: number) => void;
  /**
   * Test-time augmentation: also score each image mirrored left-right ('hflip') and average the
   * logits, as the CIFAR-10 speed runs do (airbench; "the largest individual effect" there).
   * Default none.
   */
  tta?: TtaView[];
  /** Images per batch when `data` is a dataset. Default 500. */
  batchSize?: number;
}

/** A view of each image that test-time augmentation adds. */
export type TtaView = 'hflip';

/** xs mirrored left-right: [n, h, w, c] along w; [n, f] as square images of `channels` channels. */
function hflip(xs: tf.Tensor, channels: number): tf.Tensor {
  if (xs.rank === 4) return tf.reverse(xs, 2);
  const features = xs.shape[1] as number;
  const side = Math.round(Math.sqrt(features / channels));
  if (xs.rank !== 2 || side * side * channels !== features)
    throw new TrainerError(`evaluate tta 'hflip': expected [n, h, w, c] images or [n, side * side * ${channels}] rows, got [${xs.shape.join(', ')}]`);
  return tf.reshape(tf.reverse(tf.reshape(xs, [xs.shape[0], side, side, channels]), 2), xs.shape);
}

/**
 * The loader that scores `dataset` on `model`: prepared as the model's input convention says (the
 * one it was saved or fitted with; a model without one takes [0, 1] pixels in its layout), its
 * rows named by the model's classes when it has them.
 */
function datasetLoader(modelLike: tfl.LayersModel | Trainable, model: Trainable, dataset: ImageDataset, batchSize: number): DataLoader {
  const layers = isLayersModel(modelLike) ? modelLike : undefined;
  const input: ModelInput = layers
    ? modelInput(layers)
    : { layout: model.layout, height: dataset.height, width: dataset.width, channels: dataset.channels, normalize: 'unit' };
  const classes = layers ? getModelMetadata(layers)?.classes : undefined;
  if (classes && classes.length !== dataset.classNames.length) {
    throw new TrainerError(
      `evaluate: the model was trained on ${classes.length} classes (${classes.join(', ')}), the dataset has ${dataset.classNames.length} (${dataset.classNames.join(', ')})`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TrainerError(`evaluate batchSize: expected a positive integer, got ${batchSize}`);
  return inputLoader(classes ? { ...dataset, classNames: classes } : dataset, input, { batchSize });
}

/**
 * A loader prepared otherwise than the convention the model carries (recorded by `fit`, saved
 * with it) would score it on the wrong scale without an error: refused, naming both. The loader's
 * normalisation is its `normalize` with its transform's deterministic steps folded in (a Normalize
 * transform), as `fit` records the convention.
 */
function checkLoaderConvention(modelLike: tfl.LayersModel | Trainable, data: DataLoader): void {
  if (!isLayersModel(modelLike)) return;
  const own = getModelMetadata(modelLike)?.input;
  if (!own) return;
  const { layout, normalize, transform } = data.options;
  if (layout !== own.layout)
    throw new TrainerError(`evaluate: the loader's layout is '${layout}', the model takes '${own.layout}' inputs (its input convention)`);
  const prepared = loaderNormalization(data.options, data.dataset);
  const [steps, ownSteps] = [prepared.unexpressed, own.preprocessing ?? []];
  const missing = ownSteps.filter((s) => !steps.includes(s));
  if (missing.length > 0) {
    throw new TrainerError(`evaluate: the loader does not apply ${missing.join(', ')}, which prepared the model's training inputs (its input convention)`);
  }
  const extra = steps.filter((s) => !ownSteps.includes(s));
  if (extra.length > 0) throw new TrainerError(`evaluate: the loader applies ${extra.join(', ')}, which did not prepare the model's training inputs`);
  if (!sameNormalization(prepared.normalize, own.normalize)) {
    const shown = evaluationTransform(transform) !== undefined ? `${JSON.stringify(prepared.normalize)} (with its transform)` : JSON.stringify(normalize);
    throw new TrainerError(
      `evaluate: the loader's normalize is ${shown}, the model was trained on ${JSON.stringify(own.normalize)} (its input convention); pass the dataset to prepare it as the model wants`,
    );
  }
}

/**
 * One logit z of a two-class (sigmoid) model as the logits [0, z]: their softmax is [1 - σ(z), σ(z)],
 * so their cross-entropy is the sigmoid loss and their arg-max is z > 0. Other outputs pass through.
 */
function twoClassLogits(logits: tf.Tensor, classes: number): tf.Tensor {
  if (classes !== 2 || logits.rank !== 2 || logits.shape[1] !== 1) return logits;
  return tf.concat([tf.zerosLike(logits), logits], 1);
}

/**
 * Loss, accuracy, top-k, confusion matrix and per-class precision/recall/F1 over a whole loader (one
 * pass, in order). Given a dataset, the inputs are prepared as the model wants them (the input
 * convention saved with it or recorded by `fit`; [0, 1] pixels for a model without one); a loader
 * prepared otherwise than that convention is refused.
 */
export async function evaluate(modelLike: tfl.LayersModel | Trainable, data: DataLoader | ImageDataset, options: EvaluateOptions = {}): Promise<Evaluation> {
  const model = toTrainable(modelLike);
  const views = options.tta ?? [];
  for (const v of views) if (v !== 'hflip') throw new TrainerError(`evaluate tta: expected 'hflip', got ${JSON.stringify(v)}`);
  if (data instanceof DataLoader) checkLoaderConvention(modelLike, data);
  const loader = data instanceof DataLoader ? data : datasetLoader(modelLike, model, data, options.batchSize ?? 500);
  const classNames = loader.dataset.classNames;
  const k = options.topK ?? [1, 3];
  const classes = classNames.length;
  if (loader.length === 0)
    throw new TrainerError(
      `evaluate: the loader yields no batch (${loader.dataset.count} images, batchSize ${loader.options.batchSize}, dropLast ${loader.options.dropLast})`,
    );
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const topHits: Record<number, number> = Object.fromEntries(k.map((kk) => [kk, 0]));
  let lossSum = 0;
  let count = 0;
  const predictions: number[] = [];
  const labels: number[] = [];
  let batch = 0;
  for await (const { xs, ys, size } of loader.iterate(0)) {
    // Tensors out of the tidy, read after it: tidy would walk every element of returned arrays.
    let outs: tf.Tensor[];
    try {
      outs = tf.tidy(() => {
        let logits = twoClassLogits(model.forward(xs, false), classes);
        const width = logits.shape[logits.rank - 1];
        if (logits.rank !== 2 || width !== classes)
          throw new TrainerError(
            `evaluate: the model outputs [${logits.shape.join(', ')}] per batch, the data has ${classes} classes (${classNames.join(', ')}): expected [n, ${classes}] logits`,
          );
        if (views.length > 0)
          logits = tf.div(
            tf.addN([logits, ...views.map(() => twoClassLogits(model.forward(hflip(xs, loader.dataset.channels), false), classes))]),
            views.length + 1,
          );
        // The two-class form of one logit takes the softmax loss, which is the sigmoid one there.
        const loss = lossFromLogits(
          logits.shape[1] === 2 && classes === 2 ? 'categoricalCrossentropy' : (options.loss ?? 'categoricalCrossentropy'),
          ys,
          logits,
        );
        const truthIdx = ys.rank === 1 ? tf.cast(ys, 'int32') : tf.argMax(ys, -1);
        // Rank of the true class = how many logits beat it.
        const trueLogit = tf.sum(tf.mul(logits, tf.oneHot(truthIdx, classes)), -1, true);
        // Ties go to the lower class index, as argMax breaks them, so top-1 is the accuracy.
        const before = tf.less(tf.range(0, classes, 1, 'int32'), tf.expandDims(truthIdx, -1));
        const rank = tf.sum(tf.cast(tf.logicalOr(tf.greater(logits, trueLogit), tf.logicalAnd(tf.equal(logits, trueLogit), before)), 'int32'), -1);
        return [loss, tf.argMax(logits, -1), truthIdx, rank];
      });
    } finally {
      tf.dispose([xs, ys]);
    }
    // Read asynchronously: WebGPU in Node cannot read a GPU tensor synchronously.
    const [lossValues, pred, truth, ranks] = await Promise.all(outs.map((t) => t.data())).finally(() => tf.dispose(outs));
    const lossValue = lossValues[0];
    lossSum += lossValue * size;
    count += size;
    for (let i = 0; i < size; i++) {
      confusion[truth[i]][pred[i]]++;
      predictions.push(pred[i]);
      labels.push(truth[i]);
      for (const kk of k) if (ranks[i] < kk) topHits[kk]++;
    }
    options.onBatchEnd?.(batch++, loader.length);
  }
  const perClass = classNames.map((name, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { class: name, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const correct = confusion.reduce((a, row, c) => a + row[c], 0);
  return {
    loss: lossSum / count,
    accuracy: correct / count,
    topK: Object.fromEntries(k.map((kk) => [kk, topHits[kk] / count])),
    confusionMatrix: confusion,
    perClass,
    count,
    predictions,
    labels,
  };
}
