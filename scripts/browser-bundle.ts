// Bundles a package's browser entry the way a web bundler would (platform browser, no Node
// polyfills). Used by each package's browser.test.ts: a Node built-in anywhere in the graph fails.
import { build } from 'esbuild';

export interface BrowserBundle {
  bytes: number;
  /** Every module path that ended up in the bundle. */
  inputs: string[];
  /** Node-only globals the bundled code calls (process.*, Buffer.*, setImmediate, __dirname). */
  nodeGlobals: string[];
}

const NODE_GLOBALS = /(?<![.\w])(process\.\w+|Buffer\.\w+|setImmediate\s*\(|__dirname|__filename)/g;

export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
    // Peers and sibling packages are the app's to bundle; their own browser tests cover them.
    external: ['@tensorflow/*', '@fmnist/*'],
    conditions: ['@fmnist/source', 'browser'],
  });
  const text = result.outputFiles[0].text;
  return { bytes: text.length, inputs: Object.keys(result.metafile.inputs), nodeGlobals: [...new Set(text.match(NODE_GLOBALS) ?? [])] };
}
