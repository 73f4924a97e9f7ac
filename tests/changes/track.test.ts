import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendHistory, diffSnapshots, trackChanges, HISTORY_FILE, SNAPSHOT_FILE } from '../../src/lib/changes/index.js';
import type { SiteIndex } from '../../src/lib/aggregate/types.js';
import { predicateLine } from '../../src/lib/changes/snapshot.js';
import { NAMES, rule, snap } from './fixtures.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('appendHistory', () => {
  const empty = diffSnapshots(snap([rule('a')]), snap([rule('a')]), { techniqueNames: NAMES });
  const one = diffSnapshots(snap([rule('a')]), snap([rule('a'), rule('b')], undefined, '2025-01-02'), { techniqueNames: NAMES });
  const two = diffSnapshots(snap([rule('a')]), snap([rule('c'), rule('d')], undefined, '2025-01-03'), { techniqueNames: NAMES });

  it('keeps non-empty builds, newest first, bounded', () => {
    expect(appendHistory([], empty, 20, 100)).toEqual([]);
    expect(appendHistory([one], empty, 20, 100)).toEqual([one]);
    expect(appendHistory([one], two, 20, 100)).toEqual([two, one]);
    expect(appendHistory([one], two, 1, 100)).toEqual([two]);
    expect(appendHistory([one], two, 20, 3)).toEqual([two]); // 3 + 1 rule changes > 3
  });
});

describe('predicateLine', () => {
  it('shows polarity, step, field as written, operator, value and matching options', () => {
    expect(predicateLine({ field: 'Image', canonical: 'process.executable', operator: 'wildcard', value: '*\\cmd.exe', exclusion: true })).toBe('not process.executable (Image) wildcard "*\\cmd.exe"');
    expect(predicateLine({ field: 'process.name', canonical: 'process.name', operator: 'regex_match', value: 'a.*', exclusion: false, step: 2, caseSensitive: true, dialect: 'lucene', flags: 'i' })).toBe('step 2: process.name regex_match "a.*" cased (lucene i)');
    expect(predicateLine({ field: null, canonical: null, operator: 'match', value: 'mimikatz', exclusion: false, transforms: ['base64'] })).toBe('(keyword) match "mimikatz" |base64');
    expect(predicateLine({ field: 'count', canonical: 'count', operator: 'gt', value: 5, exclusion: false, derived: true })).toBe('count (derived) gt 5');
  });
});


/** Just what snapshotOf reads of a SiteIndex. */
function index(buildDate: string, commit: string, rules: { slug: string; title?: string }[]): SiteIndex {
  return {
    buildDate,
    attackVersion: '18.1',
    sources: [{ id: 'sigma', title: 'SigmaHQ', repo: null, commit }],
    rules: rules.map((r) => ({ source: 'sigma', id: r.slug, slug: r.slug, title: r.title ?? r.slug, path: `${r.slug}.yml`, deprecated: false, techniques: ['T1059'], events: [], predicates: [] })),
    techniques: [{ id: 'T1059', name: 'Command and Scripting Interpreter' }],
  } as unknown as SiteIndex;
}

describe('trackChanges', () => {
  it('compares with the state folder, writes nothing until commit, and keeps history', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'changes-'));
    made.push(stateDir);
    const first = trackChanges(index('2025-01-01', 'c1', [{ slug: 'a' }]), { stateDir });
    expect(first.previousFrom).toBeNull();
    expect(first.log.current.firstBuild).toBe(true);
    expect(first.log.history).toEqual([]);
    // Not committed: the next build still has nothing to compare with.
    expect(trackChanges(index('2025-01-01', 'c1', [{ slug: 'a' }]), { stateDir }).log.current.firstBuild).toBe(true);
    first.commit();
    expect(JSON.parse(readFileSync(join(stateDir, SNAPSHOT_FILE), 'utf8')).rules).toHaveLength(1);

    const second = trackChanges(index('2025-01-02', 'c2', [{ slug: 'a', title: 'A!' }, { slug: 'b' }]), { stateDir });
    expect(second.previousFrom).toBe('state');
    expect(second.log.current.counts).toEqual({ added: 1, removed: 0, changed: 1 });
    expect(second.log.history).toHaveLength(1);
    second.commit();
    expect(JSON.parse(readFileSync(join(stateDir, HISTORY_FILE), 'utf8'))).toHaveLength(1);

    // A rebuild of the same inputs: nothing new, but the feed keeps the last change.
    const third = trackChanges(index('2025-01-02', 'c2', [{ slug: 'a', title: 'A!' }, { slug: 'b' }]), { stateDir });
    expect(third.log.current.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(third.log.history.map((h) => h.buildDate)).toEqual(['2025-01-02']);
  });
});
