import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as nodeEntry from './index';

const node: Record<string, unknown> = nodeEntry;

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without Node built-ins, pg or worker processes', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /file-lock|file-journal|postgres|run-workers/.test(p))).toBe(false);
  });

  it('shares samplers, pruners and storage classes with the Node entry', () => {
    const swapped = ['createStudy', 'loadStudy', 'deleteStudy', 'resolveStorage'];
    for (const [name, value] of Object.entries(browser)) if (!swapped.includes(name)) expect(node[name], name).toBe(value);
    expect(
      Object.keys(node)
        .filter((k) => !(k in browser))
        .sort(),
    ).toEqual(['FileJournalBackend', 'JournalFileStorage', 'PostgresStorage', 'TrialWorkerError', 'runWorkers']);
  });

  it('optimises in memory like the Node entry and refuses file or database storage by name', async () => {
    const run = async (create: typeof browser.createStudy) => {
      const study = await create({ sampler: new browser.TPESampler({ seed: 3 }), logger: () => {} });
      await study.optimize((t) => (t.suggestFloat('x', -5, 5) - 1) ** 2, { nTrials: 15 });
      return study.trials.map((t) => t.value);
    };
    expect(await run(browser.createStudy)).toEqual(await run(nodeEntry.createStudy));
    await expect(browser.createStudy({ storage: 'journal:/tmp/x.log' })).rejects.toThrow(
      /storage "journal:\/tmp\/x\.log": journal files and PostgreSQL need Node/,
    );
  });
});
