import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelInput, setModelMetadata } from './model-metadata';
import { mlp } from './mlp';
import { predict } from './predict';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const standard: ModelInput = { layout: 'flat', height: 4, width: 4, channels: 1, normalize: { mean: 0.3, std: 0.2 } };
const count = 7;
const bytes = Uint8Array.from({ length: count * 16 }, (_, i) => (i * 37) % 256);
const dataset = { images: bytes, labels: new Uint8Array(count), count, height: 4, width: 4, channels: 1, classNames: ['a', 'b', 'c'] };
const pixels = Float32Array.from(bytes, (v) => v * (1 / 255));

/** softmax(model(x)) with x prepared by hand as `input` says. */
function byHand(model: tfl.LayersModel, input: ModelInput): number[][] {
  return tf.tidy(() => {
    let x = tf.tensor2d(pixels, [count, 16]);
    if (input.normalize !== 'unit') x = tf.mul(tf.sub(x, input.normalize.mean), 1 / input.normalize.std);
    return tf.softmax(model.predict(x) as tf.Tensor).arraySync() as number[][];
  });
}

describe('predict', () => {
  it('prepares images as the model carries its convention (pixels or a dataset alike), without being told', async () => {
    const model = mlp({ inputs: 16, hidden: [8], outputs: 3, seed: 2 });
    setModelMetadata(model, { model: 'mlp', input: standard, classes: ['a', 'b', 'c'] });
    const before = tf.memory().numTensors;
    const fromPixels = await predict(model, pixels, { batchSize: 3 });
    const fromDataset = await predict(model, dataset);
    expect(tf.memory().numTensors).toBe(before);
    expect(fromPixels).toEqual(fromDataset);
    expect(fromPixels.classNames).toEqual(['a', 'b', 'c']);
    const expected = byHand(model, standard);
    fromPixels.probabilities.forEach((p, i) => {
      p.forEach((v, c) => {
        expect(v).toBeCloseTo(expected[i][c], 6);
      });
      expect(fromPixels.indices[i]).toBe(expected[i].indexOf(Math.max(...expected[i])));
    });
    // Told another convention, it uses that one: the scale changes the answer.
    const unit = await predict(model, pixels, { input: { ...standard, normalize: 'unit' } });
    expect(unit.probabilities[0][0]).toBeCloseTo(byHand(model, { ...standard, normalize: 'unit' })[0][0], 6);
    expect(Math.abs(unit.probabilities[0][0] - fromPixels.probabilities[0][0])).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('resizes a dataset of another size to the model’s, and does not softmax a softmax output again', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2, 1] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    const result = await predict(model, dataset);
    expect(result.classNames).toBeUndefined();
    const probs = result.probabilities.map((p) => Array.from(p));
    for (const p of probs) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Softmaxing probabilities again would flatten them towards 1/3.
    const direct = tf.tidy(() => (model.predict(tf.ones([1, 2, 2, 1])) as tf.Tensor).dataSync());
    const ones = await predict(model, new Float32Array(4).fill(1));
    expect(Array.from(ones.probabilities[0])).toEqual(Array.from(direct));
    model.dispose();
  });

  it('refuses pixels that are not whole images, naming the size expected', async () => {
    const model = mlp({ inputs: 16, hidden: [4], outputs: 3, seed: 1 });
    await expect(predict(model, new Float32Array(20))).rejects.toThrow(/^input: expected \[0, 1\] pixels, a multiple of 4 x 4 x 1 = 16 values, got 20$/);
    await expect(predict(model, new Uint8Array(20))).rejects.toThrow(
      /^input: expected PNG or JPEG bytes, or 0\.\.255 pixels \(a multiple of 4 x 4 x 1 = 16 values\), got 20 bytes in no known image format$/,
    );
    // The browser entry does not decode files: it says so rather than reading the bytes as pixels.
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(8).fill(0));
    await expect(predict(model, png)).rejects.toThrow(/^input: PNG bytes: decode them first/);
    await expect(predict(model, pixels, { invert: 'yes' as unknown as boolean })).rejects.toThrow(/^invert: expected 'auto', true or false, got yes$/);
    await expect(predict(model, [])).rejects.toThrow(/^input: expected at least one image, got an empty array$/);
    model.dispose();
  });

  it('ranks the top-k classes with their names; 0..255 pixels read as [0, 1] ones', async () => {
    const model = mlp({ inputs: 16, hidden: [8], outputs: 3, seed: 2 });
    setModelMetadata(model, { input: standard, classes: ['a', 'b', 'c'] });
    const fromBytes = await predict(model, bytes, { topK: 2 });
    const fromPixels = await predict(model, pixels, { topK: 2 });
    expect(fromBytes).toEqual(fromPixels);
    fromBytes.top.forEach((top, i) => {
      const p = Array.from(fromBytes.probabilities[i]);
      const order = [0, 1, 2].sort((a, b) => p[b] - p[a]);
      expect(top).toEqual(order.slice(0, 2).map((c) => ({ index: c, className: ['a', 'b', 'c'][c], probability: p[c] })));
      expect(top[0].index).toBe(fromBytes.indices[i]);
    });
    expect(fromBytes.inverted).toEqual(new Array(count).fill(false));
    // topK above the number of classes lists them all; the names given win over the model's.
    const all = await predict(model, bytes.subarray(0, 16), { topK: 10, classNames: ['x', 'y', 'z'] });
    expect(all.top[0].map((t) => t.className).sort()).toEqual(['x', 'y', 'z']);
    // Inverted when asked: 255 - v.
    const inverted = await predict(model, bytes, { invert: true });
    expect(inverted.probabilities).toEqual(
      (
        await predict(
          model,
          Uint8Array.from(bytes, (v) => 255 - v),
        )
      ).probabilities,
    );
    expect(inverted.inverted[0]).toBe(true);
    model.dispose();
  });

  it('prepares a decoded image of any size: grey luma, Pillow’s resize, inverted when its border is light', async () => {
    const model = mlp({ inputs: 16, hidden: [8], outputs: 3, seed: 5 });
    setModelMetadata(model, { input: standard });
    // An 8x8 RGB image: a dark square on white. Grey, resized to 4x4 and inverted, it is the 4x4 pixels computed by hand.
    const data = new Uint8Array(8 * 8 * 3).fill(255);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) data.set([40, 80, 120], (y * 8 + x) * 3);
    const before = tf.memory().numTensors;
    const result = await predict(model, { width: 8, height: 8, channels: 3, data });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.inverted).toEqual([true]);
    // luma(40, 80, 120) = 73 in Pillow's fixed point; a 2:1 shrink averages 2x2 blocks with weights (1/8, 3/8, 3/8, 1/8) over 4 pixels.
    const grey = (40 * 19595 + 80 * 38470 + 120 * 7471 + 0x8000) >> 16;
    expect(grey).toBe(73);
    const fromPixels = await predict(
      model,
      Float32Array.from(expectedFour(grey), (v) => (255 - v) * (1 / 255)),
    );
    expect(result.probabilities).toEqual(fromPixels.probabilities);
    // A fully transparent RGBA image is white (composited over white), then inverted to black.
    const clear = await predict(model, { width: 2, height: 2, channels: 4, data: new Uint8Array(16) });
    expect(clear.probabilities).toEqual((await predict(model, new Float32Array(16))).probabilities);
    model.dispose();
  });
});

/** The 4x4 grey pixels Pillow's bilinear resize gives for the 8x8 image above (checked against Pillow by pil-resize.test.ts's algorithm). */
function expectedFour(grey: number): number[] {
  // Per axis: output 0 reads 0..2 (weights 1/8·(1, 3, 3, 1)/... clipped), the dark square spans 2..5.
  const w = [
    [0.375 / 0.875, 0.375 / 0.875, 0.125 / 0.875, 0, 0, 0, 0, 0],
    [0, 0.125, 0.375, 0.375, 0.125, 0, 0, 0],
    [0, 0, 0, 0.125, 0.375, 0.375, 0.125, 0],
    [0, 0, 0, 0, 0, 0.125 / 0.875, 0.375 / 0.875, 0.375 / 0.875],
  ];
  const inside = (i: number) => i >= 2 && i < 6;
  const row = (v: (x: number) => number) => w.map((wx) => Math.round(wx.reduce((s, k, x) => s + k * v(x), 0)));
  // Horizontal pass (rounded), then vertical (rounded), as Pillow.
  const rows = Array.from({ length: 8 }, (_, y) => row((x) => (inside(y) && inside(x) ? grey : 255)));
  const out: number[] = [];
  for (let yy = 0; yy < 4; yy++) for (let xx = 0; xx < 4; xx++) out.push(Math.round(w[yy].reduce((s, k, y) => s + k * rows[y][xx], 0)));
  return out;
}
