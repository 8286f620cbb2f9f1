import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { patchWasm } from '../src/patch-wasm';
const f = () => tf.tidy(() => {
  const x = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', 22);
  const dy = tf.randomNormal([2, 4, 3, 3], 0, 1, 'float32', 5);
  return Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), dy)))(x).dataSync()).reduce((a, v, i) => a + v * (i % 7 + 1), 0).toFixed(4);
});
await tf.setBackend('cpu'); console.log('cpu  ', f());
await tf.setBackend('wasm'); patchWasm('missing'); console.log('stock', f());
patchWasm('all'); console.log('ours ', f());
