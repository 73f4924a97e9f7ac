import { defineConfig } from 'vitest/config';

/** Real-browser tests (Debian Chromium + playwright-core): run by .ci/run after a demo build. */
export default defineConfig({
  test: {
    include: ['tests/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
