import * as tf from '@tensorflow/tfjs-core';

const cache = new Map<string, number>();

/**
 * GFLOP/s of a square float32 matmul on the current backend: the machine's practical peak, once
 * per backend and size in a process. The products are queued back to back and the last one is
 * read with `await data()`: a GPU backend (which runs its queue in order) has then finished them
 * all, and the CPU backends, which compute each product when it is asked for, are timed as
 * before. `iterations` products are timed (default 10), fewer where one takes longer than
 * `budgetMs / iterations` (default 250 ms in all: a software GPU adapter or the plain-JS cpu
 * backend, where one 512 product takes a good part of a second, measures one).
 */
export async function measureMatmulPeak(size = 512, iterations = 10, budgetMs = 250): Promise<number> {
  const key = `${tf.getBackend()}:${size}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  const timed = async (count: number) => {
    const t0 = performance.now();
    let c: tf.Tensor | undefined;
    for (let i = 0; i < count; i++) {
      c?.dispose();
      c = tf.matMul(a, b);
    }
    await c?.data();
    c?.dispose();
    return performance.now() - t0;
  };
  await timed(1); // warm-up (a GPU backend compiles its shader here)
  const one = await timed(1);
  const count = Math.max(1, Math.min(iterations, Math.floor(budgetMs / one)));
  const seconds = (count === 1 ? one : await timed(count)) / 1000;
  tf.dispose([a, b]);
  const gflops = (2 * size ** 3 * count) / seconds / 1e9;
  cache.set(key, gflops);
  return gflops;
}
