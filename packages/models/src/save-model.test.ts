import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './registry';
import { loadModel, saveModel } from './save-model';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const here = dirname(fileURLToPath(import.meta.url));

describe('saveModel / loadModel', () => {
  it('round-trips a cnn with metadata and bit-identical predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const model = createModel('cnn', { seed: 5 });
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 1);
    const before = (model.predict(x) as tf.Tensor).dataSync();
    await saveModel(model, dir, { model: 'cnn', classes: ['a', 'b'], training: { epochs: 1 } });
    const { model: loaded, metadata } = await loadModel(dir);
    expect(metadata).toMatchObject({ model: 'cnn', classes: ['a', 'b'], training: { epochs: 1 } });
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual(before);
    // Saving again replaces the shards and removes the old ones.
    await saveModel(model, dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
  });

  it('refuses a shard path that leaves the model directory, even with the right size', async () => {
    const root = mkdtempSync(join(tmpdir(), 'model-'));
    const dir = join(root, 'm');
    await saveModel(createModel('mlp-small', { seed: 1 }), dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const shard = json.weightsManifest[0].paths[0];
    writeFileSync(join(root, 'secret.bin'), readFileSync(join(dir, shard)));
    json.weightsManifest[0].paths = ['../secret.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/weight shard path "\.\.\/secret\.bin" leaves the model directory/);
  });

  it('loads a model whose weights tfjs-converter quantised to uint8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const model = createModel('mlp-small', { seed: 2 });
    await saveModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bytes: number[] = [];
    // Quantise as the converter does: value = min + scale * q.
    for (const [i, spec] of (json.weightsManifest[0].weights as { dtype: string; quantization?: object }[]).entries()) {
      const values = model.getWeights()[i].dataSync();
      const min = Math.min(...values);
      const max = Math.max(...values);
      const scale = (max - min) / 255 || 1;
      for (const v of values) bytes.push(Math.round((v - min) / scale));
      spec.quantization = { dtype: 'uint8', scale, min };
    }
    for (const p of json.weightsManifest[0].paths) writeFileSync(join(dir, p), new Uint8Array(0));
    writeFileSync(join(dir, json.weightsManifest[0].paths[0]), Uint8Array.from(bytes));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const { model: loaded } = await loadModel(dir);
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 3);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(0.5);
    expect(Array.from(b).some((v, i) => v !== a[i])).toBe(true);
  });

  it('shards large models into 4 MiB files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    await saveModel(createModel('vgg-style'), dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin')).length).toBe(2);
    const { model } = await loadModel(dir);
    expect(model.countParams()).toBeGreaterThan(1_868_234);
  });

  it('gives clear errors for missing or broken model directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    await expect(loadModel(dir)).rejects.toThrow(/no model\.json/);
    writeFileSync(join(dir, 'model.json'), '{not json');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: not valid JSON/);
  });

  it('loads in a plain @tensorflow/tfjs app with tf.loadLayersModel over HTTP, with the same predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    const model = createModel('mlp-small', { seed: 9, dropout: 0.2 });
    await saveModel(model, dir, { model: 'mlp-small' });
    const input = Array.from({ length: 2 * 784 }, (_, i) => (i % 17) / 17);
    const ours = Array.from((model.predict(tf.tensor2d(input, [2, 784])) as tf.Tensor).dataSync());
    const server = createServer((req, res) => res.end(readFileSync(join(dir, (req.url ?? '/').slice(1)))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`;
    const script = `
      const tf = require('@tensorflow/tfjs');
      (async () => {
        await tf.setBackend('cpu');
        const m = await tf.loadLayersModel(process.argv[1]);
        const x = tf.tensor2d(JSON.parse(process.argv[2]), [2, 784]);
        console.log(JSON.stringify(Array.from(m.predict(x).dataSync())));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    try {
      // Async, so our HTTP server can answer while the child runs.
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, url, JSON.stringify(input)], { cwd: here });
      const out = stdout;
      expect(JSON.parse(out)).toEqual(ours);
    } finally {
      server.close();
    }
  });
});
