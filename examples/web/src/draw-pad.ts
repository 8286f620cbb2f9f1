/** A 28x28 drawing pad shown 10x larger: white strokes on black, like the dataset's images. */
export class DrawPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onChange: (pixels: Float32Array) => void,
  ) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    this.clear();
    canvas.style.touchAction = 'none';
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.at(e);
      this.stroke(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drawing) this.stroke(this.at(e));
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = undefined;
      this.onChange(this.pixels());
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Shows a 28x28 image (what the model will see) on the pad. */
  show(pixels: Float32Array): void {
    const img = new ImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = Math.round(pixels[p] * 255);
      img.data[4 * p + 3] = 255;
    }
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    (small.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
  }

  /** The pad downsampled to 28x28 floats in [0, 1]. */
  pixels(): Float32Array {
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    const sctx = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    sctx.imageSmoothingQuality = 'high';
    sctx.drawImage(this.canvas, 0, 0, 28, 28);
    const data = sctx.getImageData(0, 0, 28, 28).data;
    return Float32Array.from({ length: 784 }, (_, p) => data[4 * p] / 255);
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
  }

  private stroke(to: [number, number]): void {
    const from = this.last ?? to;
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = this.canvas.width / 9;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    this.last = to;
  }
}
