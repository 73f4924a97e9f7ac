// @ts-check
import { defineConfig } from 'astro/config';

/**
 * Static site only. Pages read one precomputed JSON index (scripts/build.ts writes it) through
 * src/site/data.ts; no content collections (they do not scale to ~10k entries, see issue #2).
 */
export default defineConfig({
  site: process.env.SITE_URL || undefined,
  base: process.env.SITE_BASE || '/',
  output: 'static',
  trailingSlash: 'always',
  build: { format: 'directory', concurrency: 4 },
  compressHTML: false,
  devToolbar: { enabled: false },
  vite: { logLevel: 'warn' },
});
