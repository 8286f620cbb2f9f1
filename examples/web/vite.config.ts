import { defaultClientConditions, defineConfig } from 'vite';
import { fashionMnistData } from './vite-plugin-fashion-mnist';
import { precacheManifest } from './vite-plugin-precache';

// Workspace packages are read from source through their browser entries; a published app would
// resolve their dist/browser.js through the "browser" export condition the same way.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@fmnist/source', ...defaultClientConditions] },
  plugins: [fashionMnistData(), precacheManifest()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, assetsInlineLimit: 0 },
  // tfjs-backend-wasm's threads need a cross-origin isolated page.
  server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  preview: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
});
