import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { DataLoader, FASHION_MNIST_MEAN, FASHION_MNIST_STD, loadFashionMnist, stratifiedSubset } from '@fmnist/data';
import { createModel, getModelEntry, inputBatch, loadModel, type ModelName, modelInput, saveModel } from '@fmnist/models';
import { fit } from '@fmnist/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { onnxLogits } from './test-utils/onnx-accuracy';

async function cli(...argv: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), isTTY: false });
  expect(code, `${argv.join(' ')}: ${err.join(' | ')}`).toBe(0);
  return JSON.parse(out.at(-1) ?? 'null') as Record<string, unknown>;
}

const normalize = { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD };

/**
 * One epoch on a 1,200-image subset, saved as `fmnist train --out` saves (fit here, not the train
 * command, which also evaluates on the test set: a minute for the VGG).
 */
async function trainBriefly(name: ModelName, dir: string): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const train = await loadFashionMnist({ split: 'train', download: false });
  const entry = getModelEntry(name);
  const model = createModel(name, { seed: 0 });
  await fit(model, new DataLoader(stratifiedSubset(train, 1200, { seed: 0 }), { batchSize: 64, seed: 0, layout: entry.layout, normalize }), {
    epochs: 1,
    seed: 0,
    optimizer: { name: 'adam', lr: 1e-3 },
  });
  await saveModel(model, dir, { model: name, classes: [...train.classNames], input: { layout: entry.layout, height: 28, width: 28, channels: 1, normalize } });
  model.dispose();
}

// Real data, default backend: run once in CI with `pnpm test:slow`. Short runs (see trainBriefly): what is compared is tfjs against ONNX Runtime, not the recipe.
describe('every zoo model, trained on the real Fashion-MNIST and exported to ONNX', () => {
  it.each(['mlp-small', 'mlp-wide', 'dynamic-mlp', 'cnn', 'vgg-style'])(
    '%s: ONNX Runtime gives the logits of tfjs within 1e-4 and the test accuracy of fmnist eval',
    async (name) => {
      const dir = mkdtempSync(join(tmpdir(), `onnx-${name}-`));
      await trainBriefly(name as ModelName, dir);
      const file = join(dir, `${name}.onnx`);
      await cli('export', '--model-dir', dir, '--out', file, '--json');
      const evaluated = await cli('eval', '--model-dir', dir, '--json');
      const test = await loadFashionMnist({ split: 'test', download: false });
      const onnx = await onnxLogits(file, test);

      await initBackend({ backend: 'wasm' });
      const { model, metadata } = await loadModel(dir);
      const input = modelInput(model, metadata);
      // Logits compared on the first 1,000 images (a VGG pass over 10,000 takes most of a minute).
      const count = 1000;
      const pixels = Float32Array.from(test.images.subarray(0, count * 784), (p) => p / 255);
      const logits = tf.tidy(() => model.predict(inputBatch(pixels, count, input), { batchSize: 500 }) as tf.Tensor).dataSync() as Float32Array;
      let maxAbsDiff = 0;
      for (let i = 0; i < logits.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(logits[i] - onnx.logits[i]));
      model.dispose();
      console.log(
        `${name}: max |tfjs - onnxruntime| ${maxAbsDiff.toExponential(2)}, test accuracy fmnist eval ${((evaluated.testAccuracy as number) * 100).toFixed(2)}%, onnxruntime ${(onnx.accuracy * 100).toFixed(2)}%`,
      );
      expect(maxAbsDiff).toBeLessThan(1e-4);
      expect(onnx.accuracy).toBe(evaluated.testAccuracy);
    },
    300_000,
  );
});
