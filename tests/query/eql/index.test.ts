import { describe, expect, it } from 'vitest';
import { analyzeEql, parseEql, tokenizeEql } from '../../../src/lib/query/eql/index.js';
import { formatDiagnostic } from '../../../src/lib/diagnostics/format.js';
import { polarPredicates } from '../../../src/lib/model/logic.js';

describe('analyzeEql meta', () => {
  it('describes a single event query', () => {
    const a = analyzeEql('process where process.name : "x" | head 5 | unique process.executable, host.id');
    expect(a.meta).toEqual({ kind: 'event', by: [], pipes: ['head 5', 'unique process.executable, host.id'] });
    expect(a.parts).toHaveLength(1);
    expect(a.parts[0]!.category).toBe('process');
    expect(a.parts[0]!.step).toBeUndefined();
  });

  it('describes a sequence with shared and per-step keys, maxspan and until', () => {
    const a = analyzeEql(`sequence by host.id with maxspan=5m
      [process where process.name : "a"] by process.entity_id with runs=2
      [file where true] by process.parent.entity_id
      until [process where event.type == "end"]
      | tail 3`);
    expect(a.diagnostics).toEqual([]);
    expect(a.meta).toEqual({ kind: 'sequence', by: ['host.id'], maxspan: '5m', until: true, pipes: ['tail 3'] });
    expect(a.parts.map((p) => [p.step, p.label, p.category, p.by])).toEqual([
      [1, 'process runs=2', 'process', ['host.id', 'process.entity_id']],
      [2, undefined, 'file', ['host.id', 'process.parent.entity_id']],
      [undefined, 'until', 'process', ['host.id']],
    ]);
  });

  it('accepts maxspan before by', () => {
    const a = analyzeEql('sequence with maxspan=2h by user.name [authentication where true] [iam where true]');
    expect(a.meta).toMatchObject({ kind: 'sequence', by: ['user.name'], maxspan: '2h' });
  });

  it('describes a sample', () => {
    const a = analyzeEql('sample by host.id [process where true] [network where true]');
    expect(a.meta).toEqual({ kind: 'sample', by: ['host.id'], pipes: [] });
    expect(a.parts.map((p) => p.step)).toEqual([1, 2]);
  });

  it('returns no parts and empty meta on a syntax error', () => {
    const a = analyzeEql('process where (');
    expect(a.parts).toEqual([]);
    expect(a.meta).toEqual({ kind: 'event', by: [], pipes: [] });
  });
});

describe('predicates', () => {
  it('marks exclusions by polarity and keeps spans relative to the query', () => {
    const q = 'process where process.name : "a.exe" and\n  not process.parent.name in ("b.exe", "c.exe")';
    const a = analyzeEql(q);
    const preds = polarPredicates(a.parts[0]!.logic);
    expect(preds.map((p) => [p.pred.field, p.pred.value, p.exclusion])).toEqual([
      ['process.name', 'a.exe', false],
      ['process.parent.name', 'b.exe', true],
      ['process.parent.name', 'c.exe', true],
    ]);
    expect(preds[0]!.pred.span).toEqual({ line: 1, column: 15, length: 22 });
    expect(preds[1]!.pred.span).toEqual({ line: 2, column: 31, length: 7 });
  });

  it('marks optional fields without changing the field name', () => {
    const a = analyzeEql('process where ?process.Ext.token.integrity_level_name : "high"');
    expect(polarPredicates(a.parts[0]!.logic)[0]!.pred.field).toBe('process.Ext.token.integrity_level_name');
  });
});

describe('parseEql', () => {
  it('keeps the AST of a sequence', () => {
    const r = parseEql('sequence [process where a == 1] [file where b == 2]');
    expect(r.ast?.kind).toBe('sequence');
  });

  it('never throws on garbage', () => {
    for (const q of ['', ']', '"', '((((', 'sequence', 'sample by', 'process where a in (', '`', '?', '\\', 'process where a : ()']) {
      const r = parseEql(q);
      expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
  });

  it('does not throw on pathological nesting', () => {
    const deep = 'process where ' + '('.repeat(50_000) + 'a == 1' + ')'.repeat(50_000);
    const r = parseEql(deep);
    expect(r.diagnostics.length + (r.ast ? 1 : 0)).toBeGreaterThan(0);
  });

  it('renders a diagnostic with caret and hint', () => {
    const q = "process where process.name : 'cmd.exe'";
    const d = parseEql(q).diagnostics[0]!;
    expect(formatDiagnostic(d, q)).toMatchInlineSnapshot(`
      "<input>:1:30: error[eql/single-quoted-string]: single-quoted strings are not valid in EQL
        process where process.name : 'cmd.exe'
                                     ^
        hint: write the string in double quotes ("...")"
    `);
  });

  it('explains a missing where', () => {
    const q = 'process process.name == "x"';
    const d = parseEql(q).diagnostics[0]!;
    expect(formatDiagnostic(d, q)).toMatchInlineSnapshot(`
      "<input>:1:9: error[eql/expected-where]: expected 'where' after event category "process" but found "process.name"
        process process.name == "x"
                ^^^^^^^^^^^^
        hint: write \`category where condition\`; field comparisons go after \`where\`"
    `);
  });
});

describe('tokenizeEql', () => {
  it('does not split keywords out of identifiers', () => {
    const { tokens } = tokenizeEql('android or order_id and bytes notx in~ like~ inx');
    expect(tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
      'ident:android', 'keyword:or', 'ident:order_id', 'keyword:and', 'ident:bytes', 'ident:notx', 'keyword:in~', 'keyword:like~', 'ident:inx', 'eof:',
    ]);
  });

  it('reads function names with a tilde and numbers with units', () => {
    const { tokens } = tokenizeEql('startsWith~( 1m 2.5 -3');
    expect(tokens.map((t) => [t.kind, t.text, t.unit])).toEqual([
      ['ident', 'startsWith~', undefined], ['op', '(', undefined], ['number', '1', 'm'], ['number', '2.5', undefined], ['op', '-', undefined], ['number', '3', undefined], ['eof', '', undefined],
    ]);
  });
});
