import { defineProject } from 'vitest/config';

/** Per-project vitest config: read workspace packages from source (no build needed). */
export function project(name: string, extra: { testTimeout?: number } = {}) {
  const conditions = ['@fmnist/source', 'module', 'node', 'import', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['node'] } },
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
