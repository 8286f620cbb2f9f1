import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.base';

// browser.ts: the entry bundlers pick through the "browser" export condition (no Node built-ins).
export default defineConfig({ ...baseConfig, entry: ['src/index.ts', 'src/browser.ts', 'src/internal.ts'] });
