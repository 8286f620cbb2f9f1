import * as tf from '@tensorflow/tfjs-core';

const cache = new Map<string, number>();

/**
 * GFLOP/s of a square float32 matmul on the current backend: the machine's practical peak. The
 * products are queued back to back and the last one is read with `await data()`: a GPU backend
 * (which runs its queue in order) has then finished them all, and the CPU backends, which compute
 * each product when it is asked for, are timed as before.
 */
export async function measureMatmulPeak(size = 512, iterations = 10): Promise<number> {
  const key = `${tf.getBackend()}:${size}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  const product = async (count: number) => {
    let c: tf.Tensor | undefined;
    for (let i = 0; i < count; i++) {
      c?.dispose();
      c = tf.matMul(a, b);
    }
    await c?.data();
    c?.dispose();
  };
  await product(1); // warm-up (a GPU backend compiles its shader here)
  const t0 = performance.now();
  await product(iterations);
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  const gflops = (2 * size ** 3 * iterations) / seconds / 1e9;
  cache.set(key, gflops);
  return gflops;
}
