import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateDirs, decodeImage, FASHION_MNIST_MEAN, FASHION_MNIST_STD, type FashionMnist, loadFashionMnist, locateSplit } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';
import { imagePixels } from './image-pixels';
import { inputBatch } from './model-input';
import { type ModelInput, setModelMetadata } from './model-metadata';
import { predict } from './predict-node';
import { createModel } from './registry';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const standard: ModelInput = { layout: 'flat', height: 28, width: 28, channels: 1, normalize: { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD } };

/** mlp-small fitted for an epoch on 2000 real images (as tfjs' own fit, from logits), carrying its convention as saveModel would. */
async function trained(data: FashionMnist): Promise<tfl.LayersModel> {
  const model = createModel('mlp-small', { seed: 4 });
  const n = 2000;
  const pixels = Float32Array.from(data.images.subarray(0, n * 784), (v) => v * (1 / 255));
  const x = inputBatch(pixels, n, standard);
  const y = tf.oneHot(tf.tensor1d(data.labels.subarray(0, n), 'int32'), 10);
  model.compile({ optimizer: tf.train.adam(2e-3), loss: (t: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, p) });
  await model.fit(x, y, { epochs: 2, batchSize: 50, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  setModelMetadata(model, { input: standard });
  return model;
}

describe.runIf((pythonHas('torchvision') && locateSplit('test', candidateDirs()) !== undefined) || process.env.CI)(
  'predict(model, image file) against Pillow and torchvision',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'predict-photo-'));
    let data: FashionMnist;
    let model: tfl.LayersModel;
    let label: number;
    const index = 2; // a trouser
    beforeAll(async () => {
      data = await loadFashionMnist({ split: 'test', download: false });
      label = data.labels[index];
      const images = data.location.images;
      execFileSync(PYTHON, [new URL('./test-utils/pil-photo.py', import.meta.url).pathname, images, String(index), dir]);
      model = await trained(data);
    }, 120_000);

    it.each(['photo.png', 'photo.jpg'])('%s (RGB, 140x112, light background): the class and probabilities of the 28x28 image Pillow prepares', async (name) => {
      const pil = readFileSync(join(dir, `${name}.28`));
      const { inverted } = JSON.parse(readFileSync(join(dir, 'photos.json'), 'utf8'))[name] as { inverted: boolean };
      const before = tf.memory().numTensors;
      const fromFile = await predict(model, join(dir, name), { topK: 10 });
      const fromBytes = await predict(model, readFileSync(join(dir, name)), { topK: 10 });
      const fromPil = await predict(model, new Uint8Array(pil), { topK: 10 });
      expect(tf.memory().numTensors).toBe(before);
      expect(fromBytes).toEqual(fromFile);
      expect(fromFile.inverted).toEqual([inverted]);
      expect(inverted).toBe(true);
      expect(fromFile.indices).toEqual(fromPil.indices);
      expect(fromFile.indices[0]).toBe(label);
      expect(fromFile.top[0][0]).toMatchObject({ index: label, className: data.classNames[label] });
      for (let c = 0; c < 10; c++) expect(Math.abs(fromFile.probabilities[0][c] - fromPil.probabilities[0][c])).toBeLessThan(1e-5);
      // The 28x28 pixels themselves: byte for byte Pillow's from the PNG; from the JPEG, jpeg-js and libjpeg may round a level apart.
      const ours = imagePixels(decodeImage(readFileSync(join(dir, name))), standard, 'auto').pixels;
      const worst = Math.max(...Array.from(ours, (v, k) => Math.abs(Math.round(v * 255) - pil[k])));
      expect(worst).toBeLessThanOrEqual(name.endsWith('.png') ? 0 : 1);
    });

    it('classifies several files in one call, in order', async () => {
      const files = [join(dir, 'photo.png'), readFileSync(join(dir, 'photo.jpg'))];
      const both = await predict(model, files);
      expect(both.indices).toEqual([label, label]);
      expect(both.top.map((t) => t.length)).toEqual([3, 3]);
      expect(both.inverted).toEqual([true, true]);
    });
  },
);

describe('predict(model, file): errors are one line naming the input', () => {
  it('an unknown format, an unreadable path, a wrong pixel count', async () => {
    const model = createModel('mlp-small', { seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'predict-errors-'));
    const gif = join(dir, 'cat.gif');
    writeFileSync(gif, 'GIF89a\0\0\0\0\0\0');
    const before = tf.memory().numTensors;
    await expect(predict(model, gif)).rejects.toThrow(new RegExp(`^${gif.replace(/[.]/g, '\\.')}: a GIF image: expected a PNG or a JPEG$`));
    await expect(predict(model, join(dir, 'none.png'))).rejects.toThrow(/^input: cannot read .*none\.png \(ENOENT\)$/);
    await expect(predict(model, new Uint8Array(1000))).rejects.toThrow(
      /^input: expected PNG or JPEG bytes, or 0\.\.255 pixels \(a multiple of 28 x 28 x 1 = 784 values\), got 1000 bytes in no known image format$/,
    );
    await expect(predict(model, new Float32Array(100))).rejects.toThrow(/^input: expected \[0, 1\] pixels, a multiple of 28 x 28 x 1 = 784 values, got 100$/);
    await expect(predict(model, [join(dir, 'none.png')])).rejects.toThrow(/^input\[0\]: cannot read .*none\.png \(ENOENT\)$/);
    await expect(predict(model, [new Uint8Array(784), new Uint8Array(5)])).rejects.toThrow(
      /^input\[0\]: expected a file path, PNG or JPEG bytes, or a decoded image; got 784 bytes in no known image format$/,
    );
    await expect(predict(model, new Uint8Array(784), { topK: 0 })).rejects.toThrow(/^topK: expected a positive integer, got 0$/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
