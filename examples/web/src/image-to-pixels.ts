/**
 * A dropped or picked image as the model sees one: greyscale 28x28 floats in [0, 1], fitted inside
 * the frame with its aspect kept, and inverted when its border is light (a photo of a garment on
 * a white background), since Fashion-MNIST garments are light on black.
 */
export async function imageToPixels(file: Blob): Promise<Float32Array> {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 28;
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const border = sampleBorder(bitmap);
  ctx.fillStyle = border > 0.5 ? '#fff' : '#000';
  ctx.fillRect(0, 0, 28, 28);
  const scale = 28 / Math.max(bitmap.width, bitmap.height);
  const w = bitmap.width * scale;
  const h = bitmap.height * scale;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, (28 - w) / 2, (28 - h) / 2, w, h);
  bitmap.close();
  const data = ctx.getImageData(0, 0, 28, 28).data;
  const out = new Float32Array(784);
  for (let p = 0; p < 784; p++) {
    const grey = (0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2]) / 255;
    out[p] = border > 0.5 ? 1 - grey : grey;
  }
  return out;
}

/** Mean brightness of the image's outermost pixels. */
function sampleBorder(bitmap: ImageBitmap): number {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 32;
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0, 32, 32);
  const data = ctx.getImageData(0, 0, 32, 32).data;
  let sum = 0;
  let count = 0;
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) {
      if (x > 0 && x < 31 && y > 0 && y < 31) continue;
      const i = 4 * (y * 32 + x);
      sum += (data[i] + data[i + 1] + data[i + 2]) / 765;
      count++;
    }
  return sum / count;
}
