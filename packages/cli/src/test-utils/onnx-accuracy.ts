import { readFileSync } from 'node:fs';
import type { ImageDataset } from '@fmnist/data';
import * as ort from 'onnxruntime-node';

/**
 * Test accuracy of an exported model in ONNX Runtime, preparing inputs only from what the file's
 * metadata says (as a consumer without our code would): x = (pixel * scale - mean) / std.
 */
export async function onnxAccuracy(path: string, test: ImageDataset): Promise<number> {
  return (await onnxLogits(path, test)).accuracy;
}

/** ONNX Runtime's logits for every test image ([count x classes]) and their accuracy. */
export async function onnxLogits(path: string, test: ImageDataset): Promise<{ logits: Float32Array; accuracy: number }> {
  const session = await ort.InferenceSession.create(readFileSync(path));
  try {
    const meta = (await import('onnx-proto')).default.onnx.ModelProto.decode(readFileSync(path));
    const props = Object.fromEntries(meta.metadataProps.map((p) => [p.key, p.value]));
    const shape = (JSON.parse(props.input_shape) as number[]).slice(1);
    const [scale, mean, std] = [props.input_scale, props.input_mean, props.input_std].map(Number);
    const size = test.height * test.width * test.channels;
    let correct = 0;
    const all: Float32Array[] = [];
    for (let start = 0; start < test.count; start += 500) {
      const n = Math.min(500, test.count - start);
      const x = Float32Array.from(test.images.subarray(start * size, (start + n) * size), (p) => (p * scale - mean) / std);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [n, ...shape]) });
      const logits = out[session.outputNames[0]].data as Float32Array;
      all.push(logits.slice());
      const classes = logits.length / n;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + best]) best = k;
        if (best === test.labels[start + i]) correct++;
      }
    }
    const logits = new Float32Array(all.reduce((a, l) => a + l.length, 0));
    all.reduce((offset, l) => (logits.set(l, offset), offset + l.length), 0);
    return { logits, accuracy: correct / test.count };
  } finally {
    await session.release();
  }
}
