import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A reason the built site cannot (error) or should not (warning) be exported as is. */
export interface DistProblem {
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

/**
 * Check that `dist` looks like a built site before packing it: an export without index.html is
 * useless, and one without the Pagefind bundle has no search (a build that skipped indexing).
 */
export function checkDist(dist: string): DistProblem[] {
  if (!existsSync(dist) || !statSync(dist).isDirectory()) {
    return [{ severity: 'error', message: `${dist} does not exist or is not a folder`, hint: 'run `npm run build` first, or pass --dist' }];
  }
  const problems: DistProblem[] = [];
  if (!existsSync(join(dist, 'index.html'))) {
    problems.push({ severity: 'error', message: `${dist}/index.html is missing`, hint: 'this does not look like a built site; run `npm run build`' });
  }
  if (!existsSync(join(dist, 'pagefind', 'pagefind.js'))) {
    problems.push({ severity: 'warning', message: `${dist}/pagefind/pagefind.js is missing: the offline copy will have no search`, hint: 'the build writes the Pagefind index into dist/pagefind/; rebuild without skipping it' });
  }
  return problems;
}
