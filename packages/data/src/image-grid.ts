import { drawText, GLYPH_HEIGHT, textWidth } from './bitmap-font';
import type { ImageDataset } from './image-dataset';
import type { RawImage } from './png';

export interface ImageGridOptions {
  /** Images to show, by index. */
  indices: readonly number[];
  /** Images per row. Default 10. */
  columns?: number;
  /** Integer upscaling of each image. Default 2. */
  scale?: number;
  /** Caption under each image. Default: its class name. */
  caption?: (index: number) => string;
}

/** Renders images with captions into one greyscale picture (for `fmnist data preview` and reports). */
export function renderImageGrid(ds: ImageDataset, options: ImageGridOptions): RawImage {
  const columns = options.columns ?? 10;
  const scale = options.scale ?? 2;
  const caption = options.caption ?? ((i: number) => ds.classNames[ds.labels[i]]);
  const captions = options.indices.map(caption);
  const cellW = Math.max(ds.width * scale, ...captions.map(textWidth)) + 6;
  const cellH = ds.height * scale + GLYPH_HEIGHT + 8;
  const rows = Math.ceil(options.indices.length / columns);
  const width = cellW * Math.min(columns, options.indices.length);
  const height = cellH * rows;
  const pixels = new Uint8Array(width * height).fill(32);
  const size = ds.height * ds.width * ds.channels;
  options.indices.forEach((index, k) => {
    const ox = (k % columns) * cellW + Math.floor((cellW - ds.width * scale) / 2);
    const oy = Math.floor(k / columns) * cellH + 3;
    for (let y = 0; y < ds.height * scale; y++) {
      for (let x = 0; x < ds.width * scale; x++) {
        const src = index * size + (Math.floor(y / scale) * ds.width + Math.floor(x / scale)) * ds.channels;
        pixels[(oy + y) * width + ox + x] = ds.images[src];
      }
    }
    const tx = (k % columns) * cellW + Math.floor((cellW - textWidth(captions[k])) / 2);
    drawText(pixels, width, height, captions[k], tx, oy + ds.height * scale + 3, 230);
  });
  return { width, height, channels: 1, data: pixels };
}
