import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const a = tf.randomNormal([512, 512]);
const b = tf.randomNormal([512, 512]);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const c = tf.add(a, b);
  const t1 = performance.now();
  c.dataSync();
  const t2 = performance.now();
  c.dispose();
  const t3 = performance.now();
  console.log(`add ${(t1 - t0).toFixed(2)} ms, dataSync ${(t2 - t1).toFixed(2)} ms, dispose ${(t3 - t2).toFixed(2)} ms`);
}
const x = tf.ones([512, 512]);
let t0 = performance.now();
const y = tf.add(x, x);
console.log('add ones', (performance.now() - t0).toFixed(2));
const heap = (tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } }).wasm.HEAPF32;
t0 = performance.now();
let s = 0;
for (let i = 0; i < heap.length; i++) s += heap[i];
console.log('js sum over heap', (performance.now() - t0).toFixed(2), heap.length);
y.dispose();
