import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/lib/diagnostics/format.js';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { analyzeEsql, likeToGlob, parseEsql } from '../../../src/lib/query/esql/index.js';
import { lexEsql } from '../../../src/lib/query/esql/tokens.js';
import type { QueryAnalysis } from '../../../src/lib/query/types.js';

const idents = (text: string): string[] => lexEsql(text).tokens.filter((t) => t.kind !== 'eof').map((t) => `${t.kind}:${t.text}`);

describe('ES|QL lexer', () => {
  it('keeps keyword-like identifiers whole', () => {
    expect(idents('android and order_id or bytes by notes')).toEqual([
      'ident:android', 'ident:and', 'ident:order_id', 'ident:or', 'ident:bytes', 'ident:by', 'ident:notes',
    ]);
  });

  it('reads dotted, @, backquoted and pattern identifiers as one token', () => {
    expect(idents('@timestamp process.parent.name `a b`.c Esql.*')).toEqual(['ident:@timestamp', 'ident:process.parent.name', 'ident:a b.c', 'ident:Esql.*']);
  });

  it('decodes strings and keeps triple-quoted text raw', () => {
    expect(idents('"a\\"b\\\\c" """C:\\Temp\\x"""')).toEqual(['string:a"b\\c', 'string:C:\\Temp\\x']);
  });

  it('skips comments and reads parameters and numbers', () => {
    expect(idents('a // x\n/* y */ ?p 1.5e3 ::')).toEqual(['ident:a', 'param:?p', 'number:1.5e3', 'op:::']);
  });
});

describe('ES|QL analysis', () => {
  it('reports FROM, METADATA, commands and derived fields', () => {
    const a = analyzeEsql(`from logs-endpoint.events.process-*, "idx-*", .alerts-security.* metadata _id, _version
| eval cmd = to_lower(process.command_line)
| grok message "%{WORD:verb}"
| stats n = count(*) by host.name, bucket = date_trunc(1 hour, @timestamp)
| rename host.name as h
| lookup join hosts on h
| where n > 5`);
    expect(a.meta).toEqual({
      from: ['logs-endpoint.events.process-*', 'idx-*', '.alerts-security.*'],
      metadata: ['_id', '_version'],
      commands: ['FROM', 'EVAL', 'GROK', 'STATS', 'RENAME', 'LOOKUP JOIN', 'WHERE'],
      derivedFields: ['cmd', 'verb', 'n', 'bucket', 'h'],
    });
  });

  it('keeps an unknown command as text in meta.commands', () => {
    const a = analyzeEsql('FROM logs-* | SPLORK a, b | WHERE x == 1');
    expect(a.meta.commands).toEqual(['FROM', 'SPLORK a, b', 'WHERE']);
    expect(a.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'esql/unknown-command']]);
    expect(a.parts).toHaveLength(1);
  });

  it('downgrades a syntax error outside WHERE to a warning and keeps the rule', () => {
    const a = analyzeEsql('FROM logs-* | EVAL x = (1 + | WHERE y == 2');
    expect(a.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'esql/unparsed-command']]);
    expect(polarPredicates(a.parts[0]!.logic).map((p) => p.pred.field)).toEqual(['y']);
  });

  it('moves KQL() positions into the ES|QL text, through string escapes', () => {
    const q = 'FROM a | WHERE KQL("x:\\"1\\" and y:2")';
    const a = analyzeEsql(q);
    const [x, y] = polarPredicates(a.parts[0]!.logic).map((p) => p.pred.span!);
    expect(q.slice(x!.column - 1, x!.column - 1 + 3)).toBe('x:\\');
    expect(q.slice(y!.column - 1, y!.column - 1 + 3)).toBe('y:2');
  });

  it('moves KQL() diagnostics onto the right line of a triple-quoted string', () => {
    const q = 'FROM a\n| WHERE KQL("""\n  a:b and\n  c:(d""")';
    const d = analyzeEsql(q).diagnostics[0]!;
    expect(formatDiagnostic(d, q)).toMatchInlineSnapshot(`
      "<input>:4:5: error[kql/unclosed-paren]: This \`(\` is never closed
          c:(d""")
            ^
        hint: Add the matching \`)\`."
    `);
  });

  it('spans cover the whole comparison', () => {
    const a = analyzeEsql('FROM a\n| WHERE  process.name LIKE "x*"');
    expect(polarPredicates(a.parts[0]!.logic)[0]!.pred.span).toEqual({ line: 2, column: 10, length: 22 });
  });

  it('renders an error with the caret under the token', () => {
    const q = 'FROM logs-* | WHERE a == 1 b == 2';
    expect(formatDiagnostic(analyzeEsql(q).diagnostics[0]!, q)).toMatchInlineSnapshot(`
      "<input>:1:28: error[esql/unexpected-token]: Unexpected \`b\`; expected \`|\` or the end of the query
        FROM logs-* | WHERE a == 1 b == 2
                                   ^
        hint: Check the operators, commas and parentheses around this point."
    `);
  });

  it('never throws on odd input', () => {
    for (const q of ['', '|', 'FROM', 'FROM a |', 'FROM a | WHERE', 'FROM a | WHERE (', 'FROM a | STATS BY', '"""', '`', 'FROM a | FORK (', 'FROM a | EVAL x = {', 'FROM a | WHERE x IN', '#$%']) {
      const r = parseEsql(q);
      expect(Array.isArray(r.diagnostics)).toBe(true);
      expect(() => analyzeEsql(q)).not.toThrow();
    }
  });
});

describe('likeToGlob', () => {
  it('maps LIKE escapes onto the canonical glob', () => {
    expect(likeToGlob('a\\*b*c?')).toEqual({ glob: 'a[*]b*c?', literal: 'a*b*c?', wildcard: true });
    expect(likeToGlob('C:\\\\Temp')).toEqual({ glob: 'C:\\Temp', literal: 'C:\\Temp', wildcard: false });
  });
});

describe('public API types', () => {
  it('fits the generic QueryAnalysis shape used by adapters', () => {
    const analyzers: Record<string, (text: string) => QueryAnalysis> = { esql: analyzeEsql };
    expect(analyzers.esql!('FROM a | WHERE b == 1').parts).toHaveLength(1);
  });
});
