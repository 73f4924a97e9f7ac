/**
 * The whole site build, shared by `npm run build` and `npm run bench`:
 * index -> JSON handed to Astro -> pages -> JSON API -> Pagefind search index.
 */
import { mkdirSync, writeFileSync, rmSync, readdirSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runIndex, type IndexOptions, type IndexTimings } from '../src/lib/pipeline/run.js';
import { writeApi } from '../src/lib/pipeline/write-api.js';
import type { SiteIndex } from '../src/lib/aggregate/types.js';

export interface SiteBuildResult {
  index: SiteIndex;
  timings: IndexTimings & { render: number; api: number; search: number };
  pages: number;
  apiFiles: number;
  searchPages: number;
}

export async function buildSite(opts: IndexOptions & { outDir?: string; log?: (msg: string) => void }): Promise<SiteBuildResult> {
  const log = opts.log ?? (() => {});
  const outDir = resolve(opts.outDir ?? 'dist');
  const { index, timings } = runIndex(opts);
  log(`index: ${index.rules.length} rules, ${index.techniques.length} techniques, ${index.events.length} events in ${(timings.total / 1000).toFixed(2)} s`);

  const indexFile = resolve('.cache/site-index.json');
  mkdirSync(dirname(indexFile), { recursive: true });
  writeFileSync(indexFile, JSON.stringify(index));
  process.env.SITE_INDEX_FILE = indexFile;

  let t = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  const { build } = await import('astro');
  await build({ root: process.cwd(), outDir, logLevel: 'warn' });
  const render = performance.now() - t;
  const pages = countHtml(outDir);
  log(`render: ${pages} pages in ${(render / 1000).toFixed(2)} s`);

  t = performance.now();
  const apiFiles = writeApi(index, join(outDir, 'api'));
  const api = performance.now() - t;

  t = performance.now();
  const searchPages = await buildSearchIndex(outDir);
  const search = performance.now() - t;
  log(`search: ${searchPages} pages indexed in ${(search / 1000).toFixed(2)} s`);
  return { index, timings: { ...timings, render, api, search }, pages, apiFiles, searchPages };
}

function countHtml(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSyncSafe(d)) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.html')) n++;
    }
  };
  walk(dir);
  return n;
}

function readdirSyncSafe(d: string): Dirent[] {
  try {
    return readdirSync(d, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Pagefind through its Node API: check every response, always close. */
export async function buildSearchIndex(outDir: string): Promise<number> {
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (errors.length > 0 || !index) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length > 0) throw new Error(`pagefind addDirectory: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}
