/**
 * Bilinear sample of channel `c` of the image starting at `base` at real coordinates (y, x),
 * pixel centres at integers; points outside the image read `fill`. Written without closures:
 * it runs once per output pixel.
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
  const y1 = y0 + 1;
  const x1 = x0 + 1;
  const inY0 = y0 >= 0 && y0 < height;
  const inY1 = y1 >= 0 && y1 < height;
  const inX0 = x0 >= 0 && x0 < width;
  const inX1 = x1 >= 0 && x1 < width;
  const row0 = base + y0 * width * channels + c;
  const row1 = base + y1 * width * channels + c;
  const p00 = inY0 && inX0 ? data[row0 + x0 * channels] : fill;
  const p01 = inY0 && inX1 ? data[row0 + x1 * channels] : fill;
  const p10 = inY1 && inX0 ? data[row1 + x0 * channels] : fill;
  const p11 = inY1 && inX1 ? data[row1 + x1 * channels] : fill;
  return (1 - dy) * ((1 - dx) * p00 + dx * p01) + dy * ((1 - dx) * p10 + dx * p11);
}
