import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/lib/diagnostics/format.js';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { analyzeKql, kqlToLogic, parseKql } from '../../../src/lib/query/kql/index.js';
import { lexKql } from '../../../src/lib/query/kql/tokens.js';

const kinds = (text: string): string[] => lexKql(text).tokens.map((t) => (t.kind === 'word' ? `word:${t.text}` : t.kind));

describe('KQL lexer: keywords vs identifiers', () => {
  it('keeps words that start with a keyword whole', () => {
    expect(kinds('android:notepad.exe')).toEqual(['word:android', 'colon', 'word:notepad.exe', 'eof']);
    expect(kinds('order_id:bytes')).toEqual(['word:order_id', 'colon', 'word:bytes', 'eof']);
    expect(kinds('ornament and nothing')).toEqual(['word:ornament', 'and', 'word:nothing', 'eof']);
  });

  it('reads keywords in any case, only as whole words', () => {
    expect(kinds('a OR b Not c aNd d')).toEqual(['word:a', 'or', 'word:b', 'not', 'word:c', 'and', 'word:d', 'eof']);
    expect(kinds('not(a)')).toEqual(['not', 'lparen', 'word:a', 'rparen', 'eof']);
  });

  it('treats an escaped keyword as a value', () => {
    expect(kinds('\\or')).toEqual(['word:or', 'eof']);
  });

  it('splits range operators and keeps their spelling', () => {
    const t = lexKql('bytes>=10').tokens;
    expect(t.map((x) => [x.kind, x.text])).toEqual([['word', 'bytes'], ['range', '>='], ['word', '10'], ['eof', '']]);
  });
});

describe('KQL parser', () => {
  it('records 1-based spans on predicates', () => {
    const a = analyzeKql('event.category:process and\n  process.name : "cmd.exe"');
    const preds = polarPredicates(a.parts[0]!.logic);
    expect(preds[1]!.pred.span).toEqual({ line: 2, column: 3, length: 24 });
  });

  it('marks predicates under not as exclusions', () => {
    const a = analyzeKql('process.name:cmd.exe and not process.parent.name:(explorer.exe or "svchost.exe")');
    expect(polarPredicates(a.parts[0]!.logic).map((p) => [p.pred.field, p.exclusion])).toEqual([
      ['process.name', false],
      ['process.parent.name', true],
      ['process.parent.name', true],
    ]);
  });

  it('keeps the value as written when it differs', () => {
    const a = analyzeKql('process.executable:C\\:\\\\Windows\\\\*');
    const p = polarPredicates(a.parts[0]!.logic)[0]!.pred;
    expect(p).toMatchObject({ operator: 'wildcard', value: 'C:\\Windows\\*', raw: 'C\\:\\\\Windows\\\\*' });
  });

  it('exposes the AST and converts it separately', () => {
    const r = parseKql('a:{ b:1 }');
    expect(r.ast?.type).toBe('nested');
    expect(kqlToLogic(r.ast!)).toMatchObject({ kind: 'pred', pred: { field: 'a.b', operator: 'eq', value: '1' } });
  });

  it('never throws on odd input', () => {
    for (const q of ['', '   ', '(((', ')))', ':::', '"', '\\', 'a:{', '<', 'not', 'a:(b or', '{}', 'a >= (']) {
      const r = analyzeKql(q);
      expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(r.parts).toEqual([]);
    }
  });

  it('renders an error with the source line, caret and hint', () => {
    const q = 'process.name:(cmd.exe or pwsh.exe';
    const d = analyzeKql(q).diagnostics[0]!;
    expect(formatDiagnostic(d, q)).toMatchInlineSnapshot(`
      "<input>:1:14: error[kql/unclosed-paren]: This \`(\` is never closed
        process.name:(cmd.exe or pwsh.exe
                     ^
        hint: Add the matching \`)\`."
    `);
  });

  it('explains a value that needs escaping', () => {
    const q = 'process.executable:C:Windows';
    const d = analyzeKql(q).diagnostics[0]!;
    expect(formatDiagnostic(d, q)).toMatchInlineSnapshot(`
      "<input>:1:21: error[kql/unexpected-token]: Unexpected \`:\`
        process.executable:C:Windows
                            ^
        hint: Quote the value or escape the colon as \`\\:\`; two conditions are joined with \`and\`/\`or\`."
    `);
  });
});
