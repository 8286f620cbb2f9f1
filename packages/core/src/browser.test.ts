import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as node from './index';

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles without Node built-ins and shares everything but the file helpers', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    const shared: Record<string, unknown> = node;
    for (const [name, value] of Object.entries(browser)) expect(shared[name], name).toBe(value);
    expect(Object.keys(node).filter((k) => !(k in browser))).toEqual(['writeFileAtomic']);
  });
});
