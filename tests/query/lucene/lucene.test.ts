import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { analyzeLucene, luceneToLogic, parseLucene } from '../../../src/lib/query/lucene/index.js';
import { lexLucene } from '../../../src/lib/query/lucene/tokens.js';

const kinds = (text: string): string[] => lexLucene(text).tokens.map((t) => (t.kind === 'term' ? `term:${t.text}` : t.kind));

describe('Lucene lexer', () => {
  it('reads operators only as whole upper-case words', () => {
    expect(kinds('ANDROID AND ORDER_ID OR NOTEPAD.EXE NOT bytes')).toEqual(['term:ANDROID', 'and', 'term:ORDER_ID', 'or', 'term:NOTEPAD.EXE', 'not', 'term:bytes', 'eof']);
    expect(kinds('a and b')).toEqual(['term:a', 'term:and', 'term:b', 'eof']);
  });

  it('treats + and - as operators only at the start of a term', () => {
    expect(kinds('+a -b g+s process-started')).toEqual(['plus', 'term:a', 'minus', 'term:b', 'term:g+s', 'term:process-started', 'eof']);
  });

  it('reads && || ! as operators', () => {
    expect(kinds('a && b || !c')).toEqual(['term:a', 'and', 'term:b', 'or', 'not', 'term:c', 'eof']);
  });
});

describe('Lucene parser', () => {
  it('keeps clause occurrences in the AST', () => {
    const r = parseLucene('+a -b c');
    expect(r.ast?.type === 'group' && r.ast.clauses.map((c) => c.occur)).toEqual(['must', 'must_not', 'should']);
    expect(luceneToLogic(r.ast!)).toMatchObject({ kind: 'and' });
  });

  it('records spans and exclusions', () => {
    const a = analyzeLucene('process.name:cmd.exe AND NOT\n user.name:root');
    expect(polarPredicates(a.parts[0]!.logic).map((p) => [p.pred.field, p.exclusion, p.pred.span?.line])).toEqual([
      ['process.name', false, 1],
      ['user.name', true, 2],
    ]);
  });

  it('never throws on odd input', () => {
    for (const q of ['', '(', ')', '[', 'a:[1 TO', '"', '/', 'a:', '^', '~', '\\']) expect(() => analyzeLucene(q)).not.toThrow();
  });
});
