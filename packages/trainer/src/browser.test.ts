import { mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as nodeEntry from './index';

const node: Record<string, unknown> = nodeEntry;
import { toyDataset, useCpu } from './test-utils/toy-data';

beforeAll(useCpu);

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /checkpoint|csv-logger|progress-bar|tensorboard/.test(p))).toBe(false);
  });

  it('shares everything but fit with the Node entry and leaves out the file and terminal helpers', () => {
    for (const [name, value] of Object.entries(browser)) if (name !== 'fit') expect(node[name], name).toBe(value);
    expect(
      Object.keys(node)
        .filter((k) => !(k in browser))
        .sort(),
    ).toEqual(
      [
        'BackupAndRestore',
        'CSVLogger',
        'JSONLLogger',
        'ModelCheckpoint',
        'ProgressBar',
        'TensorBoard',
        'flattenHParams',
        'hasCheckpoint',
        'readCheckpoint',
        'writeCheckpoint',
        // A sha256 from node:crypto, and a run that reads the IDX files.
        'recipeHash',
        'runRecipe',
      ].sort(),
    );
  });

  it('trains exactly like the Node fit and refuses file checkpoints by name', async () => {
    const data = toyDataset(256, 1);
    const run = (f: typeof nodeEntry.fit) =>
      f(mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed: 1 }), data, { epochs: 2, batchSize: 64, seed: 4 });
    const [a, b] = [await run(browser.fit), await run(nodeEntry.fit)];
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss));
    await expect(browser.fit(mlp({ inputs: 64, hidden: [16], outputs: 4 }), data, { resumeFrom: '/tmp/x' })).rejects.toThrow(
      /resumeFrom: file checkpoints need Node/,
    );
  });
});
