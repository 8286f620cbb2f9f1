import '@tensorflow/tfjs-backend-cpu';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as nodeEntry from './index';

const node: Record<string, unknown> = nodeEntry;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /machine-info\.ts|profile-model-node/.test(p))).toBe(false);
  });

  it('shares everything but the platform readings with the Node entry', () => {
    const swapped = ['profileModel', 'compareBackends', 'machineInfo'];
    for (const [name, value] of Object.entries(browser)) if (!swapped.includes(name)) expect(node[name], name).toBe(value);
    expect(Object.keys(node).filter((k) => !(k in browser))).toEqual([]);
  });

  it('profiles with the machine as navigator describes it', async () => {
    const model = mlp({ inputs: 16, hidden: [8], outputs: 4, seed: 1 });
    const [result] = await browser.profileModel(model, {
      batchSizes: [8],
      iterations: 5,
      warmup: 1,
      inputs: (b) => ({ xs: tf.ones([b, 16]), ys: tf.oneHot(tf.zeros([b], 'int32'), 4) }),
    });
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    expect(result.machine.backend).toBe('cpu');
    expect(result.machine.cpu).toBe('unknown (browser)');
    expect(result.peakRssMb).toBeGreaterThanOrEqual(0);
    model.dispose();
  });
});
