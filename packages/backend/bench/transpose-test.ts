import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
console.log('setBackend', await tf.setBackend('wasm'), tf.getBackend());
const time = (label: string, f: () => tf.Tensor, n = 20) => {
  for (let i = 0; i < 3; i++) tf.tidy(() => f().dataSync());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(() => f().dataSync());
  console.log(label, ((performance.now() - t0) / n).toFixed(3), 'ms', 'heap', ((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length / 1e6).toFixed(0), 'MB');
};
for (const [r, c] of [[64, 784], [784, 64], [784, 512], [512, 784], [512, 512], [256, 256], [1000, 1000]]) {
  const x = tf.randomNormal([r, c]);
  time(`transpose ${r}x${c}`, () => tf.transpose(x));
  x.dispose();
}
const a = tf.randomNormal([512, 512]);
time('add 512x512', () => tf.add(a, a));
time('mul 512x512', () => tf.mul(a, a));
