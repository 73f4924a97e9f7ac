import { describe, expect, it } from 'vitest';
import { diffSnapshots, multisetDiff } from '../../src/lib/changes/diff.js';
import { NAMES, rule, snap } from './fixtures.js';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

describe('diffSnapshots', () => {
  it('says a first build has nothing to compare with', () => {
    const cs = diffSnapshots(null, snap([rule('one')]), { techniqueNames: NAMES });
    expect(cs.firstBuild).toBe(true);
    expect(cs.previousBuildDate).toBeNull();
    expect(cs.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(cs.sources).toEqual([expect.objectContaining({ id: 'sigma', from: null, to: C1, rules: [] })]);
    expect(cs.techniques).toEqual([]);
  });

  it('lists rules added, removed and changed, with readable diffs', () => {
    const before = snap([
      rule('kept'),
      rule('gone'),
      rule('edited', { predicates: ['a eq "1"', 'b eq "2"', 'b eq "2"'], techniques: ['T1059.001'], events: ['sysmon-1'] }),
      rule('renamed'),
    ]);
    const after = snap(
      [
        rule('kept'),
        rule('fresh', { techniques: ['T1105'] }),
        rule('edited', { predicates: ['a eq "1"', 'b eq "2"', 'c eq "3"'], techniques: ['T1105', 'T1059.001'], events: ['sysmon-1', 'sysmon-3'] }),
        rule('renamed', { title: 'Better title' }),
      ],
      { sigma: C2 },
      '2025-01-02',
    );
    const cs = diffSnapshots(before, after, { techniqueNames: NAMES });
    expect(cs.firstBuild).toBe(false);
    expect(cs.previousBuildDate).toBe('2025-01-01');
    expect(cs.counts).toEqual({ added: 1, removed: 1, changed: 2 });
    const [s] = cs.sources;
    expect(s).toMatchObject({ id: 'sigma', from: C1, to: C2, status: 'same', added: 1, removed: 1, changed: 2 });
    expect(s!.rules.map((r) => `${r.kind} ${r.rule.slug}`)).toEqual(['added fresh', 'changed edited', 'changed renamed', 'removed gone']);
    const edited = s!.rules[1]!;
    expect(edited.predicates).toEqual({ added: ['c eq "3"'], removed: ['b eq "2"'] });
    expect(edited.techniques).toEqual({ added: ['T1105'], removed: [] });
    expect(edited.events).toEqual({ added: ['sysmon-3'], removed: [] });
    expect(edited.previousTitle).toBeUndefined();
    const renamed = s!.rules[2]!;
    expect(renamed).toMatchObject({ previousTitle: 'Rule renamed', rule: { title: 'Better title' } });
    expect(renamed.predicates).toBeUndefined();
    expect(s!.rules[0]!.predicates).toEqual({ added: ['process.executable (Image) wildcard "*\\fresh.exe"'], removed: [] });
  });

  it('counts deprecation as a change and keeps unchanged rules out', () => {
    const cs = diffSnapshots(snap([rule('x'), rule('y')]), snap([rule('x', { deprecated: true }), rule('y')]), { techniqueNames: NAMES });
    expect(cs.sources[0]!.rules).toEqual([expect.objectContaining({ kind: 'changed', deprecated: { before: false, after: true } })]);
  });

  it('lists new indicator values per technique, rolled up to the parent', () => {
    const before = snap([rule('p', { techniques: ['T1059.001'], predicates: ['old eq "1"'] })]);
    const after = snap([
      rule('p', { techniques: ['T1059.001'], predicates: ['old eq "1"', 'new eq "2"'] }),
      rule('q', { techniques: ['T1059'], predicates: ['old eq "1"'] }),
    ]);
    const cs = diffSnapshots(before, after, { techniqueNames: NAMES });
    const byId = new Map(cs.techniques.map((t) => [t.id, t]));
    // The sub-technique gains `new`; the parent gains `new` too (rolled up), but `old` was already there.
    expect(byId.get('T1059.001')!.newIndicators.map((n) => n.text)).toEqual(['new eq "2"']);
    expect(byId.get('T1059')!.newIndicators).toEqual([
      { key: 'k:new eq "2"', text: 'new eq "2"', rules: [{ source: 'sigma', slug: 'p', title: 'Rule p' }] },
    ]);
    expect(byId.get('T1059')!.rules.map((r) => `${r.kind} ${r.slug}`)).toEqual(['added q', 'changed p']);
    expect(byId.get('T1059.001')!.rules.map((r) => `${r.kind} ${r.slug}`)).toEqual(['changed p']);
  });

  it('ignores deprecated rules for indicators and reports sources new and gone', () => {
    const before = snap([rule('a', { predicates: ['x eq "1"'] })], { sigma: C1, old: 'c'.repeat(40) });
    const after = snap([rule('a', { predicates: ['x eq "1"'] }), rule('d', { deprecated: true, predicates: ['z eq "9"'] })], { sigma: C1, fresh: null });
    const cs = diffSnapshots(before, after, { techniqueNames: NAMES });
    expect(cs.sources.map((s) => `${s.id}:${s.status}`)).toEqual(['fresh:new', 'old:gone', 'sigma:same']);
    expect(cs.techniques.flatMap((t) => t.newIndicators)).toEqual([]);
  });

  it('truncates huge predicate diffs and says how many lines were left out', () => {
    const many = Array.from({ length: 8 }, (_, i) => `f eq "${i}"`);
    const cs = diffSnapshots(snap([rule('r', { predicates: [] })]), snap([rule('r', { predicates: many })]), { techniqueNames: NAMES, maxLines: 5 });
    const c = cs.sources[0]!.rules[0]!;
    expect(c.predicates!.added).toHaveLength(5);
    expect(c.truncated).toBe(3);
  });
});

describe('multisetDiff', () => {
  it('counts repeated lines', () => {
    expect(multisetDiff(['a', 'a', 'b'], ['a', 'b', 'b'])).toEqual({ added: ['b'], removed: ['a'] });
  });
});
