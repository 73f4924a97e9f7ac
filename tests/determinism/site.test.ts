/**
 * Same inputs, same bytes, for the whole site: two `buildSite` runs of the sample corpora (same
 * SOURCE_DATE_EPOCH, each with fresh cache and change state, into different folders) write
 * identical trees: every page, asset, API file, feed and Pagefind file (sha256 of each).
 * Slow (two full builds in a child process, ~30-90 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupBuildFiles, hashTree, runBuildSite } from '../hostile/build-site.js';

const tmp = mkdtempSync(join(tmpdir(), 'determinism-site-'));
const outs = [join(tmp, 'a', 'dist'), join(tmp, 'b', 'site')];
afterAll(() => {
  for (const o of outs) cleanupBuildFiles(o);
  rmSync(tmp, { recursive: true, force: true });
});

describe('site build determinism', () => {
  it('two builds of the samples are byte-identical', async () => {
    const trees: Map<string, string>[] = [];
    for (const [i, outDir] of outs.entries()) {
      await runBuildSite({ sourcesFile: 'catalog/sources.yaml', root: resolve('.'), outDir, cacheDir: join(tmp, `cache-${i}`) }, { SOURCE_DATE_EPOCH: '1717200000' });
      trees.push(hashTree(outDir));
    }
    const [a, b] = trees as [Map<string, string>, Map<string, string>];
    expect(a.size).toBeGreaterThan(1000);
    for (const kind of ['.html', '.json', '.atom', '.css', 'pagefind/']) expect([...a.keys()].some((p) => p.includes(kind)), kind).toBe(true);
    const differ = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
    expect(differ).toEqual([]);
  }, 600_000);
});
