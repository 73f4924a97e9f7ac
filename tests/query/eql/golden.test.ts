import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeEql } from '../../../src/lib/query/eql/index.js';
import { hasErrors } from '../../../src/lib/query/types.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { readGoldenCases } from '../../helpers/golden.js';

/** Text form of an analysis: errors only when there are any, else the parts then the warnings. */
function render(query: string): string {
  const a = analyzeEql(query);
  const diag = (severity: string) =>
    a.diagnostics.filter((d) => d.severity === severity).map((d) => `${severity} ${d.code} ${d.line}:${d.column}`);
  if (hasErrors(a.diagnostics)) return diag('error').join('\n');
  return [partsToSexpr(a.parts), ...diag('warning')].join('\n');
}

describe('EQL golden cases', () => {
  const cases = readGoldenCases(path.resolve(__dirname, 'cases.txt'));
  it('has enough cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  for (const c of cases) {
    it(c.name, () => expect(render(c.query)).toBe(c.expected));
  }
});
