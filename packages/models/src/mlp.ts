import * as tfl from '@tensorflow/tfjs-layers';
import { type Activation, checkActivation, layerActivation } from './activation';
import { fastBatchNormalization } from './fast-batch-normalization';
import { torchInit } from './init';
import { ModelError } from './model-error';
import { seededDropout } from './seeded-dropout';

export interface MlpOptions {
  /** Input features. Default 784 (a flattened 28x28 image). */
  inputs?: number;
  /** Hidden layer widths, e.g. [128, 64]. Default [128, 64]. */
  hidden?: number[];
  /** Output classes (logits). Default 10. */
  outputs?: number;
  /** Dropout after each hidden activation: one rate, or one per hidden layer. Default 0. */
  dropout?: number | number[];
  /** BatchNorm after each hidden Dense (PyTorch momentum 0.1, eps 1e-5). Default false. */
  batchNorm?: boolean;
  /** Hidden activation. Default 'relu'. */
  activation?: Activation;
  /** Seed of weight initialisation. Default 0. */
  seed?: number;
  /** Model name. Default 'mlp'. */
  name?: string;
}

function checkRate(rate: number, field: string): number {
  if (!(rate >= 0 && rate < 1)) throw new ModelError(`${field}: expected a dropout rate in [0, 1), got ${rate}`);
  return rate;
}

/**
 * A multi-layer perceptron that outputs logits (use softmax cross-entropy, as PyTorch's
 * CrossEntropyLoss): Dense -> [BatchNorm] -> activation -> [Dropout] per hidden layer.
 * Outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 */
export function mlp(options: MlpOptions = {}): tfl.LayersModel {
  const inputs = options.inputs ?? 784;
  const hidden = options.hidden ?? [128, 64];
  const outputs = options.outputs ?? 10;
  const activation = checkActivation(options.activation ?? 'relu');
  const seed = options.seed ?? 0;
  for (const [field, v] of [
    ['inputs', inputs],
    ['outputs', outputs],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ModelError(`${field}: expected a positive integer, got ${v}`);
  }
  hidden.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1) throw new ModelError(`hidden[${i}]: expected a positive integer width, got ${w}`);
  });
  const rates: number[] = Array.isArray(options.dropout) ? options.dropout : hidden.map(() => (options.dropout as number | undefined) ?? 0);
  if (rates.length !== hidden.length) throw new ModelError(`dropout: expected ${hidden.length} rates (one per hidden layer), got ${rates.length}`);
  rates.forEach((r, i) => checkRate(r, `dropout[${i}]`));

  const model = tfl.sequential({ name: options.name ?? 'mlp' });
  let fanIn = inputs;
  hidden.forEach((width, i) => {
    model.add(tfl.layers.dense({ units: width, inputShape: i === 0 ? [inputs] : undefined, name: `dense_${i + 1}`, ...torchInit(seed, i, fanIn) }));
    if (options.batchNorm) model.add(fastBatchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `bn_${i + 1}` }));
    model.add(tfl.layers.activation({ activation: layerActivation(activation), name: `${activation}_${i + 1}` }));
    if (rates[i] > 0) model.add(seededDropout(rates[i], `dropout_${i + 1}`));
    fanIn = width;
  });
  model.add(
    tfl.layers.dense({ units: outputs, inputShape: hidden.length === 0 ? [inputs] : undefined, name: 'logits', ...torchInit(seed, hidden.length, fanIn) }),
  );
  return model;
}
