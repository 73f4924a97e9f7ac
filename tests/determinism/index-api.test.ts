/**
 * Same inputs, same bytes: two `runIndex` + `writeApi` runs of the sample corpora write identical
 * API folders, and so does a run answered from a warm index cache (src/lib/cache).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/lib/pipeline/run.js';
import { writeApi } from '../../src/lib/pipeline/write-api.js';
import { hashTree } from '../hostile/build-site.js';

const tmp = mkdtempSync(join(tmpdir(), 'determinism-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function apiOf(name: string, cacheDir: string | null): { hashes: Map<string, string>; hits: number } {
  const run = runIndex({ sourcesFile: 'catalog/sources.yaml', root: resolve('.'), cacheDir });
  const dir = join(tmp, name);
  writeApi(run.index, dir);
  return { hashes: hashTree(dir), hits: run.cache?.hits ?? 0 };
}

/** Paths whose bytes differ (or exist on one side only). */
function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}

describe('index + JSON API determinism', () => {
  it('two runs of the samples write byte-identical API folders', () => {
    const one = apiOf('one', null);
    const two = apiOf('two', null);
    expect(one.hashes.size).toBeGreaterThan(100);
    expect(differences(one.hashes, two.hashes)).toEqual([]);
  });

  it('a warm index cache gives the same bytes as a cold run', () => {
    const cache = join(tmp, 'cache');
    const cold = apiOf('cold', cache);
    const warm = apiOf('warm', cache);
    expect(warm.hits).toBeGreaterThan(0);
    expect(differences(cold.hashes, warm.hashes)).toEqual([]);
    expect(differences(cold.hashes, apiOf('uncached', null).hashes)).toEqual([]);
  });
});
