import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
    // Vitest's default (cores - 1) is one worker on CI's 2 cores; the unit tests mostly wait on
    // child processes, workers and wasm threads, and two workers cut the suite by ~40%.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
