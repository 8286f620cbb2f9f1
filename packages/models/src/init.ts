import * as tfl from '@tensorflow/tfjs-layers';
import { mixSeed } from './seeds';

/**
 * A tfjs-layers initializer. tfjs-layers' main entry does not export its class: this name keeps our
 * published types from importing `@tensorflow/tfjs-layers/dist/initializers`, a path that Node's
 * resolution (`moduleResolution: node16`) refuses.
 */
type Initializer = ReturnType<typeof tfl.initializers.randomUniform>;

/**
 * PyTorch's default initialisation for Linear and Conv2d (kaiming_uniform with a = sqrt(5)):
 * weights and biases uniform in ±1/sqrt(fan_in). Seeded per layer so a model seed fixes all.
 */
export function torchInit(seed: number, layer: number, fanIn: number): { kernelInitializer: Initializer; biasInitializer: Initializer } {
  const limit = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tfl.initializers.randomUniform({ minval: -limit, maxval: limit, seed: mixSeed(seed, layer, 0) }),
    biasInitializer: tfl.initializers.randomUniform({ minval: -limit, maxval: limit, seed: mixSeed(seed, layer, 1) }),
  };
}
