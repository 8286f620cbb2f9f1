import type { Options } from 'tsup';

/** Shared tsup settings: every package ships ESM + CJS with types per condition. */
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
};
