/** Rounds half to even: Python's `round` and C's `nearbyint`, which torchvision's parameters and `grid_sample` use. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
