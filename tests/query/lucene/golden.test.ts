import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { analyzeLucene } from '../../../src/lib/query/lucene/index.js';
import { hasErrors, type QueryAnalysis } from '../../../src/lib/query/types.js';
import { readGoldenCases } from '../../helpers/golden.js';

/** Logic in sexpr form followed by any warnings; only the errors when the query does not parse. */
function render(a: QueryAnalysis<unknown>): string {
  const errors = hasErrors(a.diagnostics);
  const diags = a.diagnostics.filter((d) => !errors || d.severity === 'error').map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`);
  return [...(errors ? [] : [partsToSexpr(a.parts)]), ...diags].join('\n');
}

const cases = readGoldenCases(fileURLToPath(new URL('./cases.txt', import.meta.url)));

describe('Lucene golden cases', () => {
  it('has enough cases', () => expect(cases.length).toBeGreaterThanOrEqual(10));
  it.each(cases)('$name', ({ query, expected }) => {
    expect(render(analyzeLucene(query))).toBe(expected);
  });
});
