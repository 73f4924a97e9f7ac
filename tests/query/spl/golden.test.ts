import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readGoldenCases } from '../../helpers/golden.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { analyzeSplSearch, macroTable, type MacroDef } from '../../../src/lib/query/spl/index.js';

const FILE = fileURLToPath(new URL('./cases.txt', import.meta.url));

/** `@macro name(a, b) = definition` lines at the top of a case define that case's macros. */
function splitMacros(query: string): { search: string; macros: MacroDef[] } {
  const macros: MacroDef[] = [];
  const lines = query.split('\n');
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith('@macro '); i++) {
    const line = lines[i]!.slice('@macro '.length);
    const eq = line.indexOf(' = ');
    const head = line.slice(0, eq).trim();
    const open = head.indexOf('(');
    const name = open < 0 ? head : head.slice(0, open);
    const args = open < 0 ? [] : head.slice(open + 1, -1).split(',').map((a) => a.trim()).filter(Boolean);
    macros.push({ name, arguments: args, definition: line.slice(eq + 3) });
  }
  return { search: lines.slice(i).join('\n'), macros };
}

/** Render what a case asserts: the logic, any `key:` lines the expectation names, then every diagnostic. */
function render(query: string, expected: string): string {
  const { search, macros } = splitMacros(query);
  const a = analyzeSplSearch(search, macroTable(macros));
  const out = [partsToSexpr(a.parts)];
  const keys = new Set(expected.split('\n').map((l) => /^([a-z]+):/.exec(l)?.[1]).filter(Boolean));
  const list = (v: readonly string[]): string => v.join(', ');
  if (keys.has('expanded')) out.push(`expanded: ${a.expanded}`);
  if (keys.has('hooks')) out.push(`hooks: ${list(a.meta.filterMacros)}`);
  if (keys.has('macros')) out.push(`macros: ${list(a.meta.macrosUsed)}`);
  if (keys.has('datamodel')) out.push(`datamodel: ${list(a.meta.datamodels)}`);
  if (keys.has('by')) out.push(`by: ${list(a.meta.by)}`);
  if (keys.has('derived')) out.push(`derived: ${list(a.meta.derivedFields)}`);
  if (keys.has('commands')) out.push(`commands: ${list(a.meta.commands)}`);
  if (keys.has('lookups')) out.push(`lookups: ${list(a.meta.lookups)}`);
  if (keys.has('spans')) {
    const spans: string[] = [];
    const walk = (l: (typeof a.parts)[number]['logic']): void => {
      if (l.kind === 'pred') spans.push(`${l.pred.field ?? '_'}@${l.pred.span?.line}:${l.pred.span?.column}+${l.pred.span?.length}`);
      else if (l.kind === 'and' || l.kind === 'or') l.children.forEach(walk);
      else if (l.kind === 'not') walk(l.child);
    };
    a.parts.forEach((p) => walk(p.logic));
    out.push(`spans: ${list(spans)}`);
  }
  for (const d of a.diagnostics) out.push(`${d.severity} ${d.code} ${d.line}:${d.column}`);
  return out.join('\n');
}

describe('SPL golden cases', () => {
  const cases = readGoldenCases(FILE);
  it('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of cases) {
    it(c.name, () => {
      expect(render(c.query, c.expected)).toBe(c.expected);
    });
  }
});
