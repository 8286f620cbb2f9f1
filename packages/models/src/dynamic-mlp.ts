import type * as tfl from '@tensorflow/tfjs-layers';
import type { Activation } from './activation';
import { mlp } from './mlp';
import { ModelError } from './model-error';

/** What a tuner trial proposes for the stage-4 MLP. */
export interface DynamicMlpParams {
  /** Number of hidden layers (1 or more). */
  nLayers: number;
  /** Width of every hidden layer, or of each one. */
  width: number | number[];
  /** Dropout after each hidden layer. Default 0. */
  dropout?: number;
  /** BatchNorm after each hidden Dense. Default false. */
  batchNorm?: boolean;
  activation?: Activation;
  seed?: number;
}

/**
 * Builds the MLP a tuner trial proposes (stage 4): depth, width, dropout, batch norm.
 * Outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 */
export function dynamicMlp(params: DynamicMlpParams): tfl.LayersModel {
  if (!Number.isInteger(params.nLayers) || params.nLayers < 1) {
    throw new ModelError(`nLayers: expected a positive integer, got ${params.nLayers}`);
  }
  const widths = Array.isArray(params.width) ? params.width : new Array<number>(params.nLayers).fill(params.width);
  if (widths.length !== params.nLayers) throw new ModelError(`width: expected ${params.nLayers} widths, got ${widths.length}`);
  return mlp({
    hidden: widths,
    dropout: params.dropout ?? 0,
    batchNorm: params.batchNorm ?? false,
    activation: params.activation,
    seed: params.seed,
    name: 'dynamic_mlp',
  });
}
