import * as tf from '@tensorflow/tfjs-core';

const cache = new Map<string, number>();

/** GFLOP/s of a square float32 matmul on the current backend: the machine's practical peak. */
export function measureMatmulPeak(size = 512, iterations = 10): number {
  const key = `${tf.getBackend()}:${size}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  tf.tidy(() => tf.matMul(a, b).dataSync()); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  const gflops = (2 * size ** 3 * iterations) / seconds / 1e9;
  cache.set(key, gflops);
  return gflops;
}
