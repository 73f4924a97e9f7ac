import { defineConfig } from 'vitest/config';

/** Corpus-invariant tests over ../shared/corpus: slower, run by .ci/run as their own step. */
export default defineConfig({
  test: {
    include: ['tests/corpus/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
