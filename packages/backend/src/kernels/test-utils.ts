// Shared by the kernel tests: reproducible random sizes and a difference measure.

/** A seeded generator of sizes in [1, n] (an LCG: the cases are the same on every run). */
export function sizes(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return 1 + (state % n);
  };
}

/** Largest absolute difference. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
