import { RELU_GRAD } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';

/**
 * dx = dy where x > 0, NaN where x is NaN, else 0 (what tfjs's dy * step(x) gives): one pass
 * instead of Step, Cast and Multiply and their two temporaries.
 */
export const reluGradKernel: HostKernel = {
  kernelName: RELU_GRAD,
  inputs: ['dy', 'x'],
  outputShapes: ([dy, x]) => (dy.shape.join() === x.shape.join() ? [dy.shape] : undefined),
  simd: (k, [dy, x], [dx], [info]) => {
    k.reluGrad(dy, x, dx, tf.util.sizeFromShape(info.shape));
    return true;
  },
  compute: ([dy, x], [dx]) => {
    for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : Number.isNaN(x[i]) ? Number.NaN : 0;
  },
};

let registered = false;

/**
 * Makes ReLU's gradient use RELU_GRAD on backends that have it (ours: wasm and cpu), and tfjs's own
 * composition, unchanged, on the others. Registered once; the gradient is global to tfjs-core.
 */
export function useReluGradKernel(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return {
        x: () =>
          tf.getKernel(RELU_GRAD, tf.getBackend()) && x.dtype === 'float32'
            ? (tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor)
            : tf.mul(dy as tf.Tensor, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
}
