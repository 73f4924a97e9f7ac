/**
 * Hostile inputs the fuzzer found in the Splunk adapter and the SPL parser, pinned with small
 * hand-written rules: empty files, macro bombs, deep `NOT` chains and searches so wide that a
 * `push(...spread)` overflowed the stack. Each one is refused (or loaded) with diagnostics, fast.
 */
import { describe, expect, it } from 'vitest';
import type { AdapterResult } from '../../../src/lib/model/rule.js';
import { analyzeSpl, expandMacros, macroTable, type MacroDef } from '../../../src/lib/query/spl/index.js';
import { splunkAdapter, type SplunkPrepared } from '../../../src/lib/sources/splunk/index.js';
import { sourceTree, testCatalog } from './helpers.js';

const ctx = { catalog: testCatalog(), sourceDir: sourceTree({}) };
const prepared: SplunkPrepared = splunkAdapter.prepare(ctx).prepared;

/** Twelve levels, each calling the next four times: 4^12 (16.7 million) leaves if expanded naively. */
const BOMB: MacroDef[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ name: `bomb${i}`, arguments: [], definition: `(\`bomb${i + 1}\` OR \`bomb${i + 1}\` OR \`bomb${i + 1}\` OR \`bomb${i + 1}\`)` })),
  { name: 'bomb12', arguments: [], definition: 'process_name="x.exe"' },
];
for (const def of BOMB) prepared.macros.set(def.name, def);

const rule = (search: string): string => `name: Hostile\nid: 7d1c2b3a-0000-4000-8000-000000000001\nsearch: ${JSON.stringify(search)}\n`;
const load = (text: string): AdapterResult => splunkAdapter.load({ path: 'detections/endpoint/x.yml', text }, ctx, prepared);
const errors = (r: { diagnostics: { code: string; severity: string }[] }): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

function timed<T>(fn: () => T, ms = 2000): T {
  const t0 = performance.now();
  const out = fn();
  expect(performance.now() - t0).toBeLessThan(ms);
  return out;
}

describe('empty detection files', () => {
  it.each(['', '   \n\n', '# only a comment\n', '\ufeff', '~\n'])('%j -> splunk/empty-file at 1:1', (text) => {
    const r = load(text);
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    expect(r.diagnostics).toEqual([
      { code: 'splunk/empty-file', severity: 'error', message: 'the file holds no YAML document', hint: 'restore the detection or delete the empty file', file: 'detections/endpoint/x.yml', line: 1, column: 1, length: 1 },
    ]);
  });
});

describe('macro bombs', () => {
  it('stop at the expansion limit with spl/macro-too-large at the call, fast', () => {
    const r = timed(() => expandMacros('index=main `bomb0` user=x', macroTable(BOMB)));
    const big = r.diagnostics.filter((d) => d.code === 'spl/macro-too-large');
    expect(big).toHaveLength(1);
    expect(big[0]).toMatchObject({ severity: 'error', line: 1, column: 12, length: 7 });
    expect(big[0]!.message).toMatch(/more than 10,000 macro calls/);
    expect(r.text.length).toBeLessThan(100_000);
  });

  it('refuse the rule, positioned on the macro call in the file', () => {
    const r = timed(() => load(rule('index=main `bomb0` user=x')));
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    const d = r.diagnostics.find((x) => x.code === 'spl/macro-too-large')!;
    expect([d.line, d.column, d.length]).toEqual([3, 21, 7]); // `search: "index=main ` is 20 characters
  });

  it('stop past 1 MB of expanded text', () => {
    const huge: MacroDef[] = [
      { name: 'wide', arguments: [], definition: `a="${'x'.repeat(300_000)}"` },
      { name: 'four', arguments: [], definition: '`wide` `wide` `wide` `wide`' },
    ];
    const r = timed(() => expandMacros('`four`', macroTable(huge)));
    expect(r.diagnostics.map((d) => [d.code, d.column])).toEqual([['spl/macro-too-large', 1]]);
    expect(r.diagnostics[0]!.message).toMatch(/more than 1,000,000 characters/);
  });

  it('leave ordinary nesting alone: a 3-level, 3-way tree expands in full', () => {
    const tree: MacroDef[] = [
      ...Array.from({ length: 3 }, (_, i) => ({ name: `t${i}`, arguments: [], definition: `(\`t${i + 1}\` OR \`t${i + 1}\` OR \`t${i + 1}\`)` })),
      { name: 't3', arguments: [], definition: 'a=1' },
    ];
    const r = expandMacros('`t0`', macroTable(tree));
    expect(r.diagnostics).toEqual([]);
    expect(r.text.split('a=1')).toHaveLength(28);
  });
});

describe('deep NOT chains count against the 200-level nesting limit', () => {
  it.each([
    ['search', 'search ' + 'NOT '.repeat(5_000) + 'a=1'],
    ['where', 'index=x | where ' + 'not '.repeat(5_000) + 'a=1'],
    ['where signs', 'index=x | where a=' + '-'.repeat(5_000) + '1'],
    ['eval', 'index=x | eval y=' + 'not '.repeat(5_000) + 'a'],
    ['search mixed', 'search ' + 'NOT ('.repeat(3_000) + 'a=1' + ')'.repeat(3_000)],
    ['where mixed', 'index=x | where ' + 'not ('.repeat(3_000) + 'a=1' + ')'.repeat(3_000)],
  ])('%s: one spl/too-deep error', (_name, q) => {
    const r = timed(() => analyzeSpl(q));
    expect(errors(r)).toEqual(['spl/too-deep']);
  });

  it('150 levels still parse', () => {
    for (const q of ['search ' + 'NOT '.repeat(150) + 'a=1', 'index=x | where ' + 'not '.repeat(150) + 'a=1', 'search ' + 'NOT ('.repeat(90) + 'a=1' + ')'.repeat(90)]) {
      const r = analyzeSpl(q);
      expect(errors(r), q.slice(0, 30)).toEqual([]);
    }
  });

  it('the adapter refuses the rule instead of publishing 5,001-deep logic', () => {
    const r = load(rule('index=x ' + 'NOT '.repeat(5_000) + 'a=1'));
    expect(r.rules).toEqual([]);
    expect(errors(r)).toEqual(['spl/too-deep']);
  });
});

describe('huge searches do not overflow the stack', () => {
  it.each([
    ['10,000 `)` and a wide search', 'index=x ' + ')'.repeat(10_000) + ' ' + Array.from({ length: 150_000 }, (_, i) => `f${i}=v`).join(' ')],
    ['300,000 quotes', 'index=x ' + '"'.repeat(300_000)],
    ['a wide search', 'index=x ' + Array.from({ length: 200_000 }, (_, i) => `t${i}`).join(' ')],
    ['many rex groups', 'index=x | rex field=a "' + '(?<g>x)'.repeat(150_000) + '"'],
  ])('%s: the adapter returns, never throws', (_name, search) => {
    const r = timed(() => load(rule(search)), 8000);
    expect(r.rules.length + (r.failed ?? 0)).toBe(1);
    for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
  });
});
