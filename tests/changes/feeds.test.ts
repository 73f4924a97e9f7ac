import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/lib/changes/diff.js';
import { atomFeed, jsonFeed } from '../../src/lib/changes/feeds.js';
import { siteFeedEntries, techniqueFeedEntries, TAG_PREFIX, type EntryContext } from '../../src/lib/changes/feed-entries.js';
import { escapeXml } from '../../src/lib/changes/escape.js';
import { NAMES, rule, snap } from './fixtures.js';
import { xmlProblems } from './xml-check.js';

const HOSTILE = 'Evil </title><script>alert(1)</script> & "quotes" \u0001 \uD800';
const before = snap([rule('a'), rule('b')]);
const after = snap(
  [rule('a', { title: HOSTILE, predicates: ['x eq "<b>&amp;"'] }), rule('c', { techniques: ['T1105'] })],
  { sigma: 'b'.repeat(40) },
  '2025-02-03',
);
const cs = diffSnapshots(before, after, { techniqueNames: NAMES });
const ctx: EntryContext = { siteUrl: 'https://example.test/site/', ruleExists: (_s, slug) => slug !== 'b', techniqueExists: (id) => NAMES.has(id) };
const meta = { id: `${TAG_PREFIX}changes`, title: 'Changes & more', subtitle: 's', selfUrl: 'https://example.test/site/changes.atom', pageUrl: 'https://example.test/site/changes/', updated: '2025-02-03T00:00:00Z' };

describe('feed entries', () => {
  it('makes one entry per rule change with stable tag ids and rule links', () => {
    const entries = siteFeedEntries([cs], ctx);
    expect(entries.map((e) => e.title)).toEqual([`Added: Rule c (SigmaHQ)`, `Changed: ${HOSTILE} (SigmaHQ)`, 'Removed: Rule b (SigmaHQ)']);
    expect(entries[0]!.id).toMatch(/^tag:attack-coverage-catalog,2025:change\/sigma\/id-c\/bbbbbbbbbbbb\/added-[0-9a-f]{10}$/);
    expect(siteFeedEntries([cs], ctx).map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(entries[0]!.url).toBe('https://example.test/rules/sigma/c/');
    expect(entries[2]!.url).toBe('https://example.test/changes/'); // removed: its page is gone
    expect(entries[0]!.updated).toBe('2025-02-03T00:00:00Z');
  });

  it('gives a technique the changes under it and its sub-techniques', () => {
    expect(techniqueFeedEntries([cs], 'T1105', ctx).map((e) => e.change.rule.slug)).toEqual(['c']);
    expect(techniqueFeedEntries([cs], 'T1059', ctx).map((e) => e.change.rule.slug)).toEqual(['a', 'b']);
    expect(techniqueFeedEntries([cs], 'T1027', ctx)).toEqual([]);
  });
});

describe('Atom and JSON Feed', () => {
  it('writes well-formed Atom with every rule string escaped', () => {
    const xml = atomFeed(meta, siteFeedEntries([cs], ctx));
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).toContain('<title>Changes &amp; more</title>');
    expect(xml.match(/<entry>/g)).toHaveLength(3);
  });

  it('writes an empty but valid feed when nothing changed', () => {
    expect(xmlProblems(atomFeed(meta, []))).toEqual([]);
    const json = JSON.parse(jsonFeed(meta, []));
    expect(json).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', title: 'Changes & more', items: [] });
  });

  it('writes JSON Feed 1.1 items with ids, html content and the change', () => {
    const json = JSON.parse(jsonFeed(meta, siteFeedEntries([cs], ctx))) as { items: Record<string, unknown>[] };
    expect(json.items).toHaveLength(3);
    for (const item of json.items) {
      expect(item.id).toMatch(/^tag:/);
      expect(typeof item.content_html).toBe('string');
      expect(item.date_published).toBe('2025-02-03T00:00:00Z');
    }
    expect(json.items[1]!._change).toMatchObject({ kind: 'changed', source: { id: 'sigma' } });
    expect(String(json.items[1]!.content_html)).toContain('&lt;script&gt;');
  });

  it('escapes and drops characters XML forbids', () => {
    expect(escapeXml('a<b>&"\'\u0000\uDC00')).toBe('a&lt;b&gt;&amp;&quot;&#39;\uFFFD\uFFFD');
  });
});
