import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fastBatchNormalization } from './fast-batch-normalization';
import { fastConv2d } from './fast-conv2d';
import { torchInit } from './init';
import { ModelError } from './model-error';
import { seededDropout } from './seeded-dropout';

export interface VggStyleOptions {
  /** Conv widths per block; each block has `convsPerBlock` convs. Default [64, 128]. */
  blocks?: number[];
  /** Convs in each block. Default 2. */
  convsPerBlock?: number;
  /** Width of the hidden classifier layer. Default 256. */
  dense?: number;
  /** Dropout before the output layer. Default 0.5. */
  dropout?: number;
  /**
   * Identity start for every convolution after the first, as airbench does: its first Cin filters
   * are `torch.nn.init.dirac_` (1 at the centre tap of their own input channel, 0 elsewhere), the
   * rest keep the default initialisation. Default false.
   */
  diracInit?: boolean;
  inputShape?: [number, number, number];
  classes?: number;
  seed?: number;
}

/**
 * Stage 6's VGG-style CNN. It outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 *
 * Layers: blocks of (conv3x3 BN ReLU) x 2 then maxpool 2, widths 64 and 128;
 * flatten, dense 256 ReLU, dropout 0.5, dense 10 (1,868,234 trainable). Lighter variants via options.
 */
export function vggStyle(options: VggStyleOptions = {}): tfl.LayersModel {
  const blocks = options.blocks ?? [64, 128];
  const convs = options.convsPerBlock ?? 2;
  const inputShape = options.inputShape ?? [28, 28, 1];
  const seed = options.seed ?? 0;
  if (blocks.length === 0 || blocks.some((b) => !Number.isInteger(b) || b < 1))
    throw new ModelError(`blocks: expected positive integer widths, got ${JSON.stringify(blocks)}`);
  if (inputShape[0] >> blocks.length < 1) throw new ModelError(`blocks: ${blocks.length} pooling steps do not fit a ${inputShape[0]}x${inputShape[1]} input`);
  const model = tfl.sequential({ name: 'vgg_style' });
  let layer = 0;
  let channels = inputShape[2];
  let size: [number, number] = [inputShape[0], inputShape[1]];
  blocks.forEach((filters, b) => {
    for (let c = 0; c < convs; c++) {
      model.add(
        fastConv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          name: `block${b + 1}_conv${c + 1}`,
          inputShape: layer === 0 ? inputShape : undefined,
          ...torchInit(seed, layer++, 9 * channels),
        }),
      );
      model.add(fastBatchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `block${b + 1}_bn${c + 1}` }));
      model.add(tfl.layers.reLU({ name: `block${b + 1}_relu${c + 1}` }));
      channels = filters;
    }
    model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }));
    size = [Math.floor(size[0] / 2), Math.floor(size[1] / 2)];
  });
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  const dense = options.dense ?? 256;
  model.add(tfl.layers.dense({ units: dense, activation: 'relu', name: 'fc_1', ...torchInit(seed, layer++, size[0] * size[1] * channels) }));
  const dropout = options.dropout ?? 0.5;
  if (dropout > 0) model.add(seededDropout(dropout, 'fc_dropout'));
  model.add(tfl.layers.dense({ units: options.classes ?? 10, name: 'logits', ...torchInit(seed, layer, dense) }));
  if (options.diracInit === true) diracConvs(model);
  return model;
}

/** `torch.nn.init.dirac_` on the first Cin filters of every convolution after the first (3x3 kernels). */
function diracConvs(model: tfl.LayersModel): void {
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').slice(1);
  for (const conv of convs) {
    const [kernel, ...rest] = conv.getWeights();
    const [kh, kw, cin, cout] = kernel.shape;
    const values = kernel.dataSync().slice();
    const centre = (Math.floor(kh / 2) * kw + Math.floor(kw / 2)) * cin * cout;
    for (let o = 0; o < Math.min(cin, cout); o++) {
      for (let t = 0; t < kh * kw; t++) for (let i = 0; i < cin; i++) values[(t * cin + i) * cout + o] = 0;
      values[centre + o * cout + o] = 1;
    }
    const next = tf.tensor(values, kernel.shape);
    conv.setWeights([next, ...rest]);
    next.dispose();
  }
}
