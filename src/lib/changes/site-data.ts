import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChangeLog } from './types.js';

/** Where the build leaves the change log for the `/changes/` page (next to `.cache/site-index.json`). */
export const SITE_CHANGES_FILE = resolve(process.env.SITE_CHANGES_FILE ?? '.cache/site-changes.json');

let cached: ChangeLog | null = null;

/**
 * The change log the build computed, read once. Without one (the site built by `astro build`
 * alone), an empty first-build log, so the page still renders and says there is nothing to compare.
 */
export function changesData(buildDate = '1970-01-01', attackVersion = ''): ChangeLog {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(SITE_CHANGES_FILE, 'utf8')) as ChangeLog;
  } catch {
    cached = {
      format: 1,
      current: { format: 1, buildDate, previousBuildDate: null, firstBuild: true, attackVersion: { before: null, after: attackVersion }, counts: { added: 0, removed: 0, changed: 0 }, sources: [], techniques: [] },
      history: [],
    };
  }
  return cached;
}
