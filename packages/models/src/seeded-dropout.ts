import type { Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { nextDropoutSeed } from './seeds';

type Kwargs = Record<string, unknown>;
type DropoutCtor = new (args: { rate: number; seed?: number; name?: string }) => tfl.layers.Layer;

// tfjs-layers does not export its Dropout class; take it from an instance.
const DropoutBase = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as DropoutCtor;

/**
 * Dropout whose masks are reproducible yet different at every step: tfjs's own `seed` option
 * gives the same mask on every call. It serialises as a plain `Dropout`, so saved models load in
 * any tfjs app (dropout is the identity at inference).
 */
export class SeededDropout extends DropoutBase {
  static className = 'Dropout';

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    (this as unknown as { seed: number }).seed = nextDropoutSeed();
    return super.call(inputs, kwargs);
  }
}

export function seededDropout(rate: number, name?: string): tfl.layers.Layer {
  return new SeededDropout({ rate, name });
}
