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

function apiOf(name: string, cacheDir: string | null, incremental = true): { hashes: Map<string, string>; hits: number; mode: string | undefined } {
  const run = runIndex({ sourcesFile: 'catalog/sources.yaml', root: resolve('.'), cacheDir, incremental });
  const dir = join(tmp, name);
  writeApi(run.index, dir);
  return { hashes: hashTree(dir), hits: run.cache?.hits ?? 0, mode: run.incremental?.mode };
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
    const cold = apiOf('cold', cache, false);
    const warm = apiOf('warm', cache, false);
    expect(warm.hits).toBeGreaterThan(0);
    expect(differences(cold.hashes, warm.hashes)).toEqual([]);
    expect(differences(cold.hashes, apiOf('uncached', null).hashes)).toEqual([]);
  });

  it('an incremental run from the index state gives the same bytes as a cold run', () => {
    const cache = join(tmp, 'state-cache');
    const cold = apiOf('state-cold', cache);
    expect(cold.mode).toBe('full');
    const warm = apiOf('state-warm', cache);
    expect(warm.mode).toBe('warm');
    expect(differences(cold.hashes, warm.hashes)).toEqual([]);
    expect(differences(cold.hashes, apiOf('state-uncached', null).hashes)).toEqual([]);
  });
});
