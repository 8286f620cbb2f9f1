/** A batch of float images on the host, NHWC, as the augmentation transforms see it. */
export interface ImageBatch {
  data: Float32Array;
  n: number;
  height: number;
  width: number;
  channels: number;
}

export function createImageBatch(n: number, height: number, width: number, channels: number): ImageBatch {
  return { data: new Float32Array(n * height * width * channels), n, height, width, channels };
}
