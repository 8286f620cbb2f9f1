import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const time = (f: () => tf.Tensor, n = 30) => {
  const run = () => {
    const t = f();
    t.dataSync();
    t.dispose();
  };
  for (let i = 0; i < 3; i++) run();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) run();
  return ((performance.now() - t0) / n).toFixed(2);
};
const X = tf.randomNormal([64, 784]);
const dY = tf.randomNormal([64, 512]);
const W = tf.randomNormal([784, 512]);
const Xt = tf.transpose(X);
const Wt = tf.transpose(W);
console.log(
  'fwd X·W FF',
  time(() => tf.matMul(X, W)),
);
console.log(
  'fwd X·W with a new W each call',
  time(() => tf.matMul(X, tf.add(W, 0))),
);
console.log(
  'dX dY·Wᵀ FT',
  time(() => tf.matMul(dY, W, false, true)),
);
console.log(
  'dX dY·Wt FF',
  time(() => tf.matMul(dY, Wt)),
);
console.log(
  'dW Xᵀ·dY TF',
  time(() => tf.matMul(X, dY, true, false)),
);
console.log(
  'dW Xt·dY FF',
  time(() => tf.matMul(Xt, dY)),
);
console.log(
  'transpose X',
  time(() => tf.transpose(X)),
  'transpose W',
  time(() => tf.transpose(W)),
);
console.log(
  'add W',
  time(() => tf.add(W, W)),
);
const fresh = (t: tf.Tensor) => tf.add(t, 0);
console.log('--- fresh operands each call (as in training) ---');
console.log(
  'add only (2 fresh)',
  time(() => {
    const a = fresh(X);
    const b = fresh(W);
    const r = tf.add(tf.slice(a, [0, 0], [1, 1]), tf.slice(b, [0, 0], [1, 1]));
    a.dispose();
    b.dispose();
    return r;
  }),
);
console.log(
  'fwd X·W FF fresh',
  time(() => {
    const a = fresh(X);
    const b = fresh(W);
    const r = tf.matMul(a, b);
    a.dispose();
    b.dispose();
    return r;
  }),
);
console.log(
  'dX dY·Wt FF fresh',
  time(() => {
    const a = fresh(dY);
    const b = fresh(Wt);
    const r = tf.matMul(a, b);
    a.dispose();
    b.dispose();
    return r;
  }),
);
console.log(
  'dW Xt·dY FF fresh',
  time(() => {
    const a = fresh(Xt);
    const b = fresh(dY);
    const r = tf.matMul(a, b);
    a.dispose();
    b.dispose();
    return r;
  }),
);
console.log(
  'dW (dYt·X)=dWt FF fresh',
  time(() => {
    const a = fresh(tf.transpose(dY));
    const b = fresh(X);
    const r = tf.matMul(a, b);
    a.dispose();
    b.dispose();
    return r;
  }),
);
