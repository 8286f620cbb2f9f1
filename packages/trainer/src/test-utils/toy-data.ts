import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import type { ImageDataset } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';

/** A learnable toy set: 8x8 images, class c lights up row c (4 classes) plus noise. */
export function toyDataset(count: number, seed = 1): ImageDataset {
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    const c = i % 4;
    labels[i] = c;
    for (let p = 0; p < 64; p++) images[i * 64 + p] = Math.floor(rnd() * 120);
    for (let x = 0; x < 8; x++) images[i * 64 + c * 2 * 8 + x] = 200 + Math.floor(rnd() * 55);
  }
  return { images, labels, count, height: 8, width: 8, channels: 1, classNames: ['a', 'b', 'c', 'd'] };
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}
