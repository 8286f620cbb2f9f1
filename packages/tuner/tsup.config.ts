import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

export default defineConfig([
  { ...baseConfig, shims: true },
  // Worker processes started by runWorkers (top-level await: ESM only).
  { ...baseConfig, entry: ['src/worker-entry.ts'], format: ['esm'], dts: false, clean: false },
]);
