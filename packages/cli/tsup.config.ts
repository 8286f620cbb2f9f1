import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

export default defineConfig([
  { ...baseConfig, entry: ['src/index.ts', 'src/internal.ts'] },
  // The bin, and the tuning objective that `fmnist tune --jobs N` worker processes import.
  { ...baseConfig, entry: ['src/bin.ts', 'src/tune-objective.ts'], format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } },
]);
