import * as tf from '@tensorflow/tfjs-core';
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

  /** Draws the seed of the next mask from the run's stream (one per training call). */
  nextSeed(): number {
    const seed = (this.stream ?? defaultDropoutStream).next();
    (this as unknown as { seed: number }).seed = seed;
    return seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    this.nextSeed();
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

/**
 * tfjs's dropout multiplier, floor(U[0, 1) + keep) / keep with U seeded by `seed`: what
 * `tf.dropout(x, rate, undefined, seed)` multiplies x by. A fused training step keeps it for the
 * backward pass; a test holds it to tfjs's own.
 */
export function dropoutMultiplier(shape: number[], rate: number, seed: number | undefined): tf.Tensor {
  return tf.tidy(() => {
    const keep = 1 - rate;
    return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep);
  });
}

/**
 * A Dropout layer's rate and the seed of its next training mask (drawn now, as its `call` would),
 * or undefined for any other layer or one with a noise shape. Rate 0 means the identity.
 */
export function dropoutParts(layer: tfl.layers.Layer): { rate: number; seed: number | undefined } | undefined {
  if (layer.getClassName() !== 'Dropout') return undefined;
  const self = layer as unknown as { rate: number; seed?: number; noiseShape?: unknown };
  if (self.noiseShape != null) return undefined;
  // A seeded layer draws at every call, whatever its rate, so both paths move the stream alike.
  const seed = (layer as unknown as Record<symbol, unknown>)[SEEDED] === true ? (layer as SeededDropout).nextSeed() : self.seed;
  return { rate: self.rate > 0 && self.rate < 1 ? self.rate : 0, seed };
}
