/**
 * The whole site build, shared by `npm run build` and `npm run bench`:
 * index -> JSON handed to Astro -> pages -> JSON API -> Pagefind search index.
 */
import { mkdirSync, writeFileSync, rmSync, readdirSync, renameSync, cpSync, type Dirent } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { runIndex, type IndexOptions, type IndexTimings } from '../src/lib/pipeline/run.js';
import { startStep, type StepHandle } from '../src/lib/progress/index.js';
import { writeApi } from '../src/lib/pipeline/write-api.js';
import type { SiteIndex } from '../src/lib/aggregate/types.js';
// Change feed (src/lib/changes): this build against the previous one -> /changes/ page and feeds.
import { trackChanges } from '../src/lib/changes/track.js';
import { writeChangeFeeds } from '../src/lib/changes/write-feeds.js';
import { indexModeNote } from './summary.js';
import { searchIndexPageCount } from '../src/lib/check/site-check.js';

/** Incremental index cache and change-feed state; CI restores `.cache/` between builds. */
export const DEFAULT_CACHE_DIR = '.cache/index';

export interface SiteBuildResult {
  index: SiteIndex;
  timings: IndexTimings & { render: number; api: number; search: number; changes: number };
  pages: number;
  apiFiles: number;
  /** Atom + JSON feed files written (site-wide and per technique). */
  feedFiles: number;
  /** Pages in the search index (pages marked out of search are read by Pagefind but not indexed). */
  searchPages: number;
}

export async function buildSite(
  opts: IndexOptions & {
    outDir?: string;
    log?: (msg: string) => void;
    /** Progress lines (stderr) for the long steps: index per source, render, search index. */
    progress?: boolean;
    /** Previous build to compare with (a snapshot file or an api folder); default: the cache's, else dist/api. */
    previous?: string;
  },
): Promise<SiteBuildResult> {
  const log = opts.log ?? (() => {});
  const outDir = resolve(opts.outDir ?? 'dist');
  // Incremental cache on by default; `cacheDir: null` (`--no-cache`) turns it off.
  const cacheDir = opts.cacheDir === undefined ? DEFAULT_CACHE_DIR : opts.cacheDir;
  const indexProgress = opts.progress ? indexProgressHooks() : {};
  const run = runIndex({ ...opts, ...indexProgress, cacheDir });
  const { index, timings } = run;
  log(`index: ${index.rules.length} rules, ${index.techniques.length} techniques, ${index.events.length} events in ${(timings.total / 1000).toFixed(2)} s (${indexModeNote(run)})`);

  // Changes since the previous build, read before dist/ (which may hold the previous api/) is wiped.
  let t = performance.now();
  // The previous build is kept per site (per sources file): the demo and the upstream site must
  // never be compared with each other. A previous dist/api/ is only read when named (--previous).
  const siteKey = createHash('sha1').update(resolve(opts.sourcesFile)).digest('hex').slice(0, 12);
  const changes = trackChanges(index, { stateDir: join(cacheDir ?? DEFAULT_CACHE_DIR, 'changes', siteKey), previous: opts.previous });
  // Per output folder, like the index file below, so concurrent builds never read each other's log.
  const changesFile = resolve('.cache', `site-changes-${createHash('sha1').update(outDir).digest('hex').slice(0, 12)}.json`);
  mkdirSync(dirname(changesFile), { recursive: true });
  writeFileSync(changesFile, JSON.stringify(changes.log));
  process.env.SITE_CHANGES_FILE = changesFile;
  let changesTime = performance.now() - t;
  const c = changes.log.current.counts;
  log(
    changes.log.current.firstBuild
      ? 'changes: first build, nothing to compare with'
      : `changes since ${changes.log.current.previousBuildDate}: ${c.added} added, ${c.removed} removed, ${c.changed} changed`,
  );

  // One index file per output folder, so concurrent builds (tests) never read each other's data.
  const indexFile = resolve('.cache', `site-index-${createHash('sha1').update(outDir).digest('hex').slice(0, 12)}.json`);
  mkdirSync(dirname(indexFile), { recursive: true });
  writeFileSync(indexFile, JSON.stringify(index));
  process.env.SITE_INDEX_FILE = indexFile;

  t = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  const { build } = await import('astro');
  // Astro keeps its intermediate chunks in <cwd>/.astro when outDir is outside the project, which
  // concurrent builds (tests) would share: build inside .cache under a per-output name, then move.
  const inCwd = outDir.startsWith(process.cwd() + sep);
  const astroOut = inCwd ? outDir : resolve('.cache', `astro-out-${createHash('sha1').update(outDir).digest('hex').slice(0, 12)}`);
  rmSync(astroOut, { recursive: true, force: true });
  const renderStep = opts.progress ? startStep('render') : null;
  await build({ root: process.cwd(), outDir: astroOut, logLevel: 'warn' });
  if (astroOut !== outDir) moveDir(astroOut, outDir);
  const render = performance.now() - t;
  const pages = countHtml(outDir);
  renderStep?.done(`${pages} pages`);
  log(`render: ${pages} pages in ${(render / 1000).toFixed(2)} s`);

  t = performance.now();
  const apiFiles = writeApi(index, join(outDir, 'api'));
  const api = performance.now() - t;

  t = performance.now();
  const rules = new Set(index.rules.map((r) => `${r.source}\0${r.slug}`));
  const techniques = new Set(index.techniques.map((x) => x.id));
  const feedFiles = writeChangeFeeds(changes.log, outDir, {
    siteUrl: process.env.SITE_URL || undefined,
    techniques: index.techniques,
    ruleExists: (source, slug) => rules.has(`${source}\0${slug}`),
    techniqueExists: (id) => techniques.has(id),
  });
  changesTime += performance.now() - t;

  t = performance.now();
  const searchStep = opts.progress ? startStep('search index') : null;
  const { read, indexed: searchPages } = await buildSearchIndex(outDir);
  searchStep?.done(`${read} pages read, ${searchPages} indexed`);
  const search = performance.now() - t;
  log(`search: ${read} pages read, ${searchPages} in the index (the others are marked out of search) in ${(search / 1000).toFixed(2)} s`);
  // The build went through: this index becomes the next build's "previous".
  changes.commit();
  return { index, timings: { ...timings, render, api, search, changes: changesTime }, pages, apiFiles, feedFiles, searchPages };
}

/** Progress lines per source while indexing: files read and parsed, with elapsed time. */
function indexProgressHooks(): Pick<IndexOptions, 'onSource' | 'collect'> {
  let step: StepHandle | null = null;
  return {
    onSource: (id, phase, detail) => {
      if (phase === 'start') step = startStep(`index ${id}`);
      else step?.done(detail ? `${detail.files} files, ${detail.rules} rules` : undefined);
    },
    collect: {
      onFile: (done, total) => {
        if (done === 1) step?.setTotal(total);
        step?.tick();
      },
    },
  };
}

/** Rename, or copy then delete across file systems (EXDEV: .cache and /tmp differ). */
function moveDir(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
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

/** Pagefind through its Node API: check every response, always close. Returns the pages Pagefind read and the pages it indexed. */
export async function buildSearchIndex(outDir: string): Promise<{ read: number; indexed: number }> {
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (errors.length > 0 || !index) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length > 0) throw new Error(`pagefind addDirectory: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
    const indexed = searchIndexPageCount(outDir);
    if (indexed === null) throw new Error(`pagefind writeFiles: no pagefind-entry.json in ${join(outDir, 'pagefind')}`);
    return { read: added.page_count, indexed };
  } finally {
    await pagefind.close();
  }
}
