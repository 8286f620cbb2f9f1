import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from './model-error';

export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export function checkActivation(value: string, field = 'activation'): Activation {
  if (!ACTIVATIONS.includes(value as Activation)) {
    throw new ModelError(`${field}: expected one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as Activation;
}

/** The tfjs-layers identifier of an activation. */
export function layerActivation(a: Activation): Parameters<typeof tfl.layers.activation>[0]['activation'] {
  return a;
}
