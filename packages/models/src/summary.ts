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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (r: string[]) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  const total = widths.reduce((a, b) => a + b, 0);
  const counts = countParams(model);
  return [
    `Model: "${model.name}"`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...rows.map(line),
    '='.repeat(total),
    `Total params: ${counts.total.toLocaleString('en-US')}`,
    `Trainable params: ${counts.trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${counts.nonTrainable.toLocaleString('en-US')}`,
  ].join('\n');
}
