import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as nodeEntry from './index';

const node: Record<string, unknown> = nodeEntry;
import { useCpu } from './test-setup';

beforeAll(useCpu);

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without the Node file handler', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /file-io-handler|save-model\.ts|onnx/.test(p))).toBe(false);
  });

  it('shares the zoo with the Node entry and swaps only the model IO', () => {
    const swapped = ['loadModel', 'predict', 'saveModel'];
    for (const [name, value] of Object.entries(browser)) if (!swapped.includes(name)) expect(node[name], name).toBe(value);
    // Node only: the file handler, and ONNX export (onnx-proto is loaded with Node's require).
    expect(
      Object.keys(node)
        .filter((k) => !(k in browser))
        .sort(),
    ).toEqual(['ONNX_OPSET', 'exportOnnx', 'fileSystemHandler', 'toOnnx']);
  });

  it('saves and loads through any tfjs IO handler with metadata and identical predictions', async () => {
    const model = browser.createModel('mlp-small', { seed: 3 });
    let saved: tf.io.ModelArtifacts | undefined;
    await browser.saveModel(
      model,
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { model: 'mlp-small', classes: ['x'] },
    );
    const { model: loaded, metadata } = await browser.loadModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(metadata).toMatchObject({ model: 'mlp-small', classes: ['x'] });
    const x = tf.randomUniform([3, 784], 0, 1, 'float32', 2);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((model.predict(x) as tf.Tensor).dataSync());
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });

  it('names what is missing when the picked files hold no model.json', async () => {
    await expect(browser.loadModel([new File([new Uint8Array(4)], 'weights.bin')])).rejects.toThrow(/picked files \(weights\.bin\): expected a model\.json/);
    await expect(browser.loadModel('http://127.0.0.1:9/none/model.json')).rejects.toThrow(/http:\/\/127\.0\.0\.1:9\/none\/model\.json: cannot load the model/);
  });
});
