import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle';
import * as browser from './browser';
import * as nodeEntry from './index';

const node: Record<string, unknown> = nodeEntry;

// Bundling for browsers (esbuild) does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('browser entry', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const bundle = await bundleForBrowser(new URL('./browser.ts', import.meta.url).pathname);
    expect(bundle.nodeGlobals).toEqual([]);
    expect(bundle.inputs.some((p) => /\/gzip\.ts|png|jpeg|decode-image|read-idx-file|data-location/.test(p))).toBe(false);
    expect(bundle.inputs.some((p) => p.endsWith('parse-idx-async.ts'))).toBe(true);
  });

  it('exports the same objects as the Node entry, minus file and zlib helpers', () => {
    for (const [name, value] of Object.entries(browser)) expect(node[name], name).toBe(value);
    const nodeOnly = Object.keys(node)
      .filter((k) => !(k in browser))
      .sort();
    expect(nodeOnly).toEqual(
      [
        'SYSTEM_DATA_DIR',
        'candidateDirs',
        'decodeImage',
        'decodePng',
        'defaultCacheDir',
        'downloadFile',
        'encodeIdx',
        'encodePng',
        'fetchFashionMnist',
        'findFile',
        'gunzip',
        'gzip',
        'loadFashionMnist',
        'loadIdxDataset',
        'locateSplit',
        'parseIdx',
        'readIdxFile',
        'readPayloadVerified',
        'readSplit',
        'renderImageGrid',
        'sha256Hex',
        'verifySha256',
        'writeFileAtomic',
        'writeIdxFile',
      ].sort(),
    );
  });
});
