import type { ImageBatch } from '../image-batch';
import type { Transform } from './transform';
import { DataError } from '../data-error';

/**
 * Bilinear resize to `size` (e.g. 32 for 32x32), with PyTorch's `align_corners=False`
 * convention: pixel centres are mapped, and edges are clamped.
 */
export class Resize implements Transform {
  readonly name = 'Resize';
  readonly size: [number, number];

  constructor(options: { size: number | [number, number] }) {
    this.size = typeof options.size === 'number' ? [options.size, options.size] : options.size;
    if (!this.size.every((s) => Number.isInteger(s) && s > 0)) throw new DataError('Resize', `size must be positive integers, found ${this.size}`);
  }

  apply(batch: ImageBatch): ImageBatch {
    const { data, n, height, width, channels } = batch;
    const [oh, ow] = this.size;
    if (oh === height && ow === width) return batch;
    const out = new Float32Array(n * oh * ow * channels);
    const sy = height / oh;
    const sx = width / ow;
    for (let y = 0; y < oh; y++) {
      const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, height - 1);
      const wy = fy - y0;
      for (let x = 0; x < ow; x++) {
        const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, width - 1);
        const wx = fx - x0;
        for (let i = 0; i < n; i++) {
          const base = i * height * width * channels;
          const dst = ((i * oh + y) * ow + x) * channels;
          for (let c = 0; c < channels; c++) {
            const p00 = data[base + (y0 * width + x0) * channels + c];
            const p01 = data[base + (y0 * width + x1) * channels + c];
            const p10 = data[base + (y1 * width + x0) * channels + c];
            const p11 = data[base + (y1 * width + x1) * channels + c];
            out[dst + c] = (1 - wy) * ((1 - wx) * p00 + wx * p01) + wy * ((1 - wx) * p10 + wx * p11);
          }
        }
      }
    }
    return { data: out, n, height: oh, width: ow, channels };
  }
}
