import { alignColumns } from '@fmnist/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { countParams } from './model-stats';

/** A Keras-style summary: layer, output shape, parameters, and the totals. */
export function summarize(model: tfl.LayersModel): string {
  const rows = model.layers.map((layer) => {
    const shape = JSON.stringify(layer.outputShape).replace(/null/g, 'None').replace(/,/g, ', ');
    const params = layer.countParams();
    const frozen = layer.trainable ? '' : ' (frozen)';
    return [`${layer.name} (${layer.getClassName()})${frozen}`, shape, params.toLocaleString('en-US')];
  });
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const [head, ...lines] = alignColumns([header, ...rows], ['left', 'left', 'right'], '    ');
  const total = Math.max(head.length, ...lines.map((l) => l.length));
  const counts = countParams(model);
  return [
    `Model: "${model.name}"`,
    '_'.repeat(total),
    head,
    '='.repeat(total),
    ...lines,
    '='.repeat(total),
    `Total params: ${counts.total.toLocaleString('en-US')}`,
    `Trainable params: ${counts.trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${counts.nonTrainable.toLocaleString('en-US')}`,
  ].join('\n');
}
