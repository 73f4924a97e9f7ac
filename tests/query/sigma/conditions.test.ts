import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGoldenCases } from '../../helpers/golden.js';
import { conditionToSexpr, parseSigmaCondition, tokenizeCondition } from '../../../src/lib/query/sigma/index.js';

const SELECTIONS = [
  'selection', 'selection1', 'selection2', 'sel_a', 'sel_b', 'sel.dot', 'sel-dash', 'filter', 'filter_main_a',
  'filter_main_b', 'filter_optional_x', 'keywords', '_private', 'android', 'order_id', 'notes',
];

function render(query: string): string {
  const res = parseSigmaCondition(query, { selections: SELECTIONS });
  const lines: string[] = [];
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return errors.map((d) => `error ${d.code} ${d.line}:${d.column}`).join('\n');
  if (res.ast) lines.push(conditionToSexpr(res.ast));
  for (const d of res.diagnostics) lines.push(`${d.severity} ${d.code} ${d.line}:${d.column}`);
  return lines.join('\n');
}

describe('Sigma condition golden cases', () => {
  const cases = readGoldenCases(path.resolve(__dirname, 'cases.txt'));
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  for (const c of cases) {
    it(c.name, () => expect(render(c.query)).toBe(c.expected));
  }
});

describe('parseSigmaCondition', () => {
  it('reports an empty condition', () => {
    const res = parseSigmaCondition('   ');
    expect(res.ast).toBeNull();
    expect(res.diagnostics.map((d) => d.code)).toEqual(['sigma/empty-condition']);
  });

  it('does not validate names when no selections are given', () => {
    const res = parseSigmaCondition('a and 1 of b*');
    expect(res.diagnostics).toEqual([]);
    expect(conditionToSexpr(res.ast!)).toBe('(and a (1-of b*))');
  });

  it('keeps the legacy tail text', () => {
    const res = parseSigmaCondition('sel | count(x) by y > 3');
    expect(res.tail).toMatchObject({ kind: 'aggregation', text: 'count(x) by y > 3' });
  });

  it('underlines the whole unknown name and gives the known ones in the hint', () => {
    const res = parseSigmaCondition('selection and filtr', { selections: ['selection', 'filter'] });
    expect(res.diagnostics[0]).toMatchObject({ code: 'sigma/unknown-selection', line: 1, column: 15, length: 5 });
    expect(res.diagnostics[0]!.hint).toContain('selection, filter');
  });

  it('does not treat prototype names as keywords', () => {
    const kinds = tokenizeCondition('constructor and toString').map((t) => t.kind);
    expect(kinds).toEqual(['ident', 'and', 'ident', 'eof']);
  });

  it('tracks lines and columns across line breaks', () => {
    const toks = tokenizeCondition('a and\n   (b or c)');
    expect(toks[2]).toMatchObject({ kind: 'lparen', span: { line: 2, column: 4 } });
  });
});
