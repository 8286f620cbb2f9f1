/**
 * Bilinear sample of channel `c` of the image starting at `base` at real coordinates (y, x),
 * pixel centres at integers; points outside the image read `fill`.
 */
export function sampleBilinear(
  data: Float32Array,
  base: number,
  height: number,
  width: number,
  channels: number,
  c: number,
  y: number,
  x: number,
  fill: number,
): number {
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const dy = y - y0;
  const dx = x - x0;
  const at = (yy: number, xx: number): number =>
    yy < 0 || yy >= height || xx < 0 || xx >= width ? fill : data[base + (yy * width + xx) * channels + c];
  return (
    (1 - dy) * ((1 - dx) * at(y0, x0) + dx * at(y0, x0 + 1)) + dy * ((1 - dx) * at(y0 + 1, x0) + dx * at(y0 + 1, x0 + 1))
  );
}
