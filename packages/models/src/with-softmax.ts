import * as tfl from '@tensorflow/tfjs-layers';
import { endsInSoftmax } from './ends-in-softmax';
import { ModelError } from './model-error';

/**
 * The model with a softmax after its logits, for tfjs' own `compile`/`fit`/`evaluate`/`predict`,
 * whose `'categoricalCrossentropy'` and `'sparseCategoricalCrossentropy'` losses expect
 * probabilities (tfjs-layers 4.x has no `fromLogits` option): a zoo model outputs logits, and
 * fitting it with those losses trains on a wrong loss without any error.
 *
 * The result shares the model's layers, so their weights are the same variables: fitting either
 * one trains both, and our `fit`, `evaluate` and `predict` take either (they softmax logits and
 * leave probabilities alone). It carries the model's metadata (input convention, classes).
 * Dispose only one of the two when done; both then stop working.
 *
 * @example
 * const probs = withSoftmax(createModel('cnn'));
 * probs.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 * await probs.fit(xs, oneHotLabels, { epochs: 1 });
 */
export function withSoftmax(model: tfl.LayersModel): tfl.LayersModel {
  if (model.outputs.length !== 1) throw new ModelError(`model: expected one output of logits, ${model.name} has ${model.outputs.length}`);
  if (endsInSoftmax(model)) throw new ModelError(`model: ${model.name} already ends in a softmax: compile and fit it as it is`);
  const probabilities = tfl.layers.softmax({ name: `${model.name}_softmax` }).apply(model.outputs[0]) as tfl.SymbolicTensor;
  const wrapped = tfl.model({ inputs: model.inputs, outputs: probabilities, name: `${model.name}_probabilities` });
  const metadata = model.getUserDefinedMetadata();
  if (metadata) wrapped.setUserDefinedMetadata(metadata);
  return wrapped;
}
