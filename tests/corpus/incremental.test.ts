/**
 * The incremental index over the real snapshot: a full run leaves its state, and a warm run from
 * it, with one rule file re-read as if edited, gives exactly the same index (as JSON, byte for
 * byte) as a run without any cache, while decoding only what it touched.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/lib/pipeline/run.js';
import { isLazy, isPending } from '../../src/lib/incremental/lazy.js';

const corpus = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus');
const present = existsSync(resolve(corpus, 'sigma'));
if (!present) console.log(`[incremental corpus] ${corpus} not found: skipped`);

const hash = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe.skipIf(!present)('incremental index over the snapshot', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'incremental-corpus-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  const sourcesFile = 'catalog/sources.upstream.yaml';

  it('a warm run with one rule re-read equals a run without cache', () => {
    const full = runIndex({ sourcesFile, root: corpus, cacheDir });
    expect(full.incremental).toMatchObject({ mode: 'full', reason: 'no-state' });
    const target = full.index.rules.find((r) => r.source === 'sigma' && r.techniques.length > 0 && !r.deprecated)!;
    const fullHash = hash(full.index);

    const warm = runIndex({ sourcesFile, root: corpus, cacheDir, cacheOptions: { forceMiss: (s, p) => s === target.source && p === target.path } });
    expect(warm.incremental).toMatchObject({ mode: 'warm', stats: { parsed: 1, removed: 0 } });
    const stats = warm.incremental!.mode === 'warm' ? warm.incremental!.stats : null;
    // Only the rule's techniques (and their parents) and events were recomputed.
    expect(stats!.techniquesRecomputed).toBeGreaterThan(0);
    expect(stats!.techniquesRecomputed).toBeLessThan(10);
    const lazy = warm.index.rules.filter((r) => isLazy(r));
    expect(lazy.length).toBe(warm.index.rules.length - 1);
    expect(lazy.every((r) => isPending(r))).toBe(true);
    console.log(`[incremental corpus] full ${(full.timings.total / 1000).toFixed(2)} s, warm ${(warm.timings.total / 1000).toFixed(2)} s; ${JSON.stringify(stats)}`);

    expect(hash(warm.index)).toBe(fullHash);
    expect(hash(runIndex({ sourcesFile, root: corpus, cacheDir: null }).index)).toBe(fullHash);
  });
});
