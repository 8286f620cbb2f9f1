export interface GridItem {
  /** height*width bytes (0..255) or floats in [0, 1]. */
  pixels: ArrayLike<number>;
  /** One line, or two separated by a newline. */
  caption: string;
  /** Caption colour. Default grey. */
  color?: string;
}

/** Draws images in a grid with a caption under each: crisp pixels, sized to the canvas's CSS width. */
export function drawGrid(canvas: HTMLCanvasElement, items: readonly GridItem[], options: { columns: number; size?: number; scale?: number }): void {
  const size = options.size ?? 28;
  const scale = options.scale ?? 3;
  const cell = size * scale;
  const lines = Math.max(1, ...items.map((item) => item.caption.split('\n').length));
  const captionHeight = 4 + 12 * lines;
  const rows = Math.ceil(items.length / options.columns);
  canvas.width = options.columns * (cell + 6);
  canvas.height = Math.max(1, rows * (cell + captionHeight + 6));
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = ctx.createImageData(size, size);
  const scratch = document.createElement('canvas');
  scratch.width = size;
  scratch.height = size;
  const sctx = scratch.getContext('2d') as CanvasRenderingContext2D;
  ctx.imageSmoothingEnabled = false;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  items.forEach((item, i) => {
    const isFloat = !(item.pixels instanceof Uint8Array);
    for (let p = 0; p < size * size; p++) {
      const v = isFloat ? Math.round(Math.min(1, Math.max(0, item.pixels[p])) * 255) : item.pixels[p];
      tile.data[4 * p] = tile.data[4 * p + 1] = tile.data[4 * p + 2] = v;
      tile.data[4 * p + 3] = 255;
    }
    sctx.putImageData(tile, 0, 0);
    const x = (i % options.columns) * (cell + 6) + 3;
    const y = Math.floor(i / options.columns) * (cell + captionHeight + 6) + 3;
    ctx.drawImage(scratch, x, y, cell, cell);
    ctx.fillStyle = item.color ?? '#333';
    item.caption.split('\n').forEach((line, l) => ctx.fillText(line, x + cell / 2, y + cell + 12 + 12 * l, cell + 4));
  });
}
