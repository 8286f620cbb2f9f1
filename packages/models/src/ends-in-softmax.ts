import type * as tfl from '@tensorflow/tfjs-layers';

/** Whether the model's (first) output is already a softmax: a Softmax layer, or a layer with a softmax activation. */
export function endsInSoftmax(model: tfl.LayersModel): boolean {
  const layer = model.outputs[0]?.sourceLayer as unknown as { getClassName(): string; activation?: { getClassName(): string } };
  return layer.getClassName() === 'Softmax' || layer.activation?.getClassName() === 'softmax';
}
