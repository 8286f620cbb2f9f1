import * as tfl from '@tensorflow/tfjs-layers';
import { fastBatchNormalization } from './fast-batch-normalization';
import { fastConv2d } from './fast-conv2d';
import { torchInit } from './init';
import { seededDropout } from './seeded-dropout';

export interface CnnOptions {
  /** Conv widths. Default [32, 64]. */
  filters?: [number, number];
  /** Dense widths of the classifier. Default [128, 64]. */
  dense?: number[];
  /** Dropout after each classifier Dense. Default 0.4. */
  dropout?: number;
  /** Input [h, w, c]. Default [28, 28, 1]. */
  inputShape?: [number, number, number];
  classes?: number;
  seed?: number;
}

/**
 * Stage 5's CNN. It outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 *
 * Layers: conv3x3(32) BN ReLU maxpool2, conv3x3(64) BN ReLU maxpool2, flatten,
 * dense 128 ReLU dropout 0.4, dense 64 ReLU dropout 0.4, dense 10 (429,450 trainable).
 */
export function cnn(options: CnnOptions = {}): tfl.LayersModel {
  const [f1, f2] = options.filters ?? [32, 64];
  const dense = options.dense ?? [128, 64];
  const dropout = options.dropout ?? 0.4;
  const inputShape = options.inputShape ?? [28, 28, 1];
  const seed = options.seed ?? 0;
  const model = tfl.sequential({ name: 'cnn' });
  let layer = 0;
  let channels = inputShape[2];
  let size: [number, number] = [inputShape[0], inputShape[1]];
  [f1, f2].forEach((filters, i) => {
    model.add(
      fastConv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        name: `conv_${i + 1}`,
        inputShape: i === 0 ? inputShape : undefined,
        ...torchInit(seed, layer++, 9 * channels),
      }),
    );
    model.add(fastBatchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `bn_${i + 1}` }));
    model.add(tfl.layers.reLU({ name: `relu_${i + 1}` }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool_${i + 1}` }));
    channels = filters;
    size = [Math.floor(size[0] / 2), Math.floor(size[1] / 2)];
  });
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  let fanIn = size[0] * size[1] * channels;
  dense.forEach((units, i) => {
    model.add(tfl.layers.dense({ units, activation: 'relu', name: `dense_${i + 1}`, ...torchInit(seed, layer++, fanIn) }));
    if (dropout > 0) model.add(seededDropout(dropout, `dropout_${i + 1}`));
    fanIn = units;
  });
  model.add(tfl.layers.dense({ units: options.classes ?? 10, name: 'logits', ...torchInit(seed, layer, fanIn) }));
  return model;
}
