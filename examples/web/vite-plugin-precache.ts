// Writes precache.json: the app shell (every built file except the data and served models),
// which public/sw.js caches on install so the page reloads offline.
import type { Plugin } from 'vite';

export function precacheManifest(): Plugin {
  return {
    name: 'fmnist-precache',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.startsWith('data/') && !f.startsWith('models/') && !f.endsWith('.map'));
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(['./', ...files.map((f) => `./${f}`)]) });
    },
  };
}
