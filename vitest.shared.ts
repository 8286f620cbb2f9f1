import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

/** Per-project vitest config: read workspace packages from source (no build needed). */
export function project(name: string, extra: { testTimeout?: number } = {}) {
  // Our sources first; everything else as Vite resolves it by default (externals stay Node's own).
  return defineProject({
    resolve: { conditions: ['@fmnist/source', ...defaultClientConditions] },
    ssr: { resolve: { conditions: ['@fmnist/source', ...defaultServerConditions] } },
    test: {
      name,
      environment: 'node',
      testTimeout: extra.testTimeout ?? 30_000,
      hookTimeout: 120_000,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Slow real-data tests are named *.slow.test.ts and run once in CI via `pnpm test:slow`.
      exclude: process.env.FMNIST_SLOW ? [] : ['**/*.slow.test.ts'],
    },
  });
}
