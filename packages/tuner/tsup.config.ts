import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

export default defineConfig([
  // browser.ts: the entry bundlers pick through the "browser" export condition (shims apply only where used).
  { ...baseConfig, entry: ['src/index.ts', 'src/browser.ts'], shims: true },
  // Worker processes started by runWorkers (top-level await: ESM only).
  { ...baseConfig, entry: ['src/worker-entry.ts'], format: ['esm'], dts: false, clean: false },
]);
