import type { Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type DropoutStream, defaultDropoutStream } from './seeds';

type Kwargs = Record<string, unknown>;
type DropoutCtor = new (args: { rate: number; seed?: number; name?: string }) => tfl.layers.Layer;

// tfjs-layers does not export its Dropout class; take it from an instance.
const DropoutBase = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as DropoutCtor;

/**
 * Dropout whose masks are reproducible yet different at every step: tfjs's own `seed` option
 * gives the same mask on every call. Masks come from the stream of the run that trains the model
 * (`setDropoutStream`), else from the default stream. It serialises as a plain `Dropout`, so saved
 * models load in any tfjs app (dropout is the identity at inference).
 */
// Marks our dropout layers, so that a copy of this module in another bundle (the internal entry)
// recognises them: `instanceof` would not.
const SEEDED = Symbol.for('@fmnist/models/seeded-dropout');

export class SeededDropout extends DropoutBase {
  static className = 'Dropout';
  readonly [SEEDED] = true;
  /** Set by `setDropoutStream`; undefined means the default stream. Anything with `next()` will do. */
  stream?: Pick<DropoutStream, 'next'>;

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    (this as unknown as { seed: number }).seed = (this.stream ?? defaultDropoutStream).next();
    return super.call(inputs, kwargs);
  }
}

export function seededDropout(rate: number, name?: string): tfl.layers.Layer {
  return new SeededDropout({ rate, name });
}

/**
 * Makes every SeededDropout of `model` (nested models included) draw from `stream`; returns how
 * many layers it reached.
 */
export function setDropoutStream(model: tfl.LayersModel, stream: Pick<DropoutStream, 'next'>): number {
  let count = 0;
  const visit = (layers: tfl.layers.Layer[]) => {
    for (const layer of layers) {
      if ((layer as unknown as Record<symbol, unknown>)[SEEDED] === true) {
        (layer as SeededDropout).stream = stream;
        count++;
      }
      const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (Array.isArray(nested)) visit(nested);
    }
  };
  visit(model.layers);
  return count;
}
