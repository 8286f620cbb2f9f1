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
  // Class names as written: esbuild renames a class that refers to itself (\`class _Compose\`) unless
  // told not to, and run fingerprints, callback keys and error names read \`constructor.name\`.
  keepNames: true,
};
