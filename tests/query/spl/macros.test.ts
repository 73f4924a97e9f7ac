import { describe, expect, it } from 'vitest';
import { analyzeSpl, expandMacros, macroKey, macroTable, parseSpl, toOriginalRange } from '../../../src/lib/query/spl/index.js';

describe('macro table', () => {
  it('keys macros by name and arity whether or not the name carries it', () => {
    const t = macroTable([
      { name: 'plain', arguments: [], definition: 'a=1' },
      { name: 'two', arguments: ['x', 'y'], definition: '$x$=$y$' },
      { name: 'named(1)', arguments: ['z'], definition: 'z=$z$' },
    ]);
    expect([...t.keys()]).toEqual(['plain', 'two(2)', 'named(1)']);
    expect(macroKey('m', 0)).toBe('m');
    expect(macroKey('m', 3)).toBe('m(3)');
  });
});

describe('expandMacros', () => {
  const macros = macroTable([
    { name: 'pair', arguments: ['f', 'v'], definition: '$f$=$v$ $f$!=none' },
    { name: 'outer', arguments: [], definition: '(`pair(a, "x,y")` OR b=2)' },
  ]);

  it('substitutes every occurrence of each argument, with quoted commas kept in one argument', () => {
    const r = expandMacros('`outer` c=3', macros);
    expect(r.text).toBe('(a="x,y" a!=none OR b=2) c=3');
    expect(r.expansions.map((e) => [e.name, e.args, e.depth, e.span.column, e.span.length])).toEqual([
      ['outer', [], 0, 1, 7],
      ['pair', ['a', '"x,y"'], 1, 1, 7],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('maps positions of the expansion back to the search as written', () => {
    const search = 'x=1 `outer` c=3';
    const r = expandMacros(search, macros);
    const c = r.text.indexOf('c=3');
    expect(toOriginalRange(r.replacements, c, c + 3)).toEqual({ start: search.indexOf('c=3'), end: search.indexOf('c=3') + 3 });
    const inside = r.text.indexOf('b=2');
    expect(toOriginalRange(r.replacements, inside, inside + 3)).toEqual({ start: 4, end: 11, macro: 'outer' });
    expect(toOriginalRange(r.replacements, 0, 3)).toEqual({ start: 0, end: 3 });
  });

  it('stops at the depth limit with a warning', () => {
    const chain = macroTable([
      { name: 'm0', arguments: [], definition: 'x=0 `m1`' },
      { name: 'm1', arguments: [], definition: 'x=1 `m2`' },
      { name: 'm2', arguments: [], definition: 'x=2 `m3`' },
      { name: 'm3', arguments: [], definition: 'x=3' },
    ]);
    const r = expandMacros('`m0`', chain, 2);
    expect(r.text).toBe('x=0 x=1 `m2`');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['spl/macro-depth', 'warning', 1, 1]]);
  });

  it('leaves strings, comments and unterminated backticks alone', () => {
    const r = expandMacros('a="`outer`" ```x `outer` y``` `open', macros);
    expect(r.text).toBe('a="`outer`" ```x `outer` y``` `open');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['spl/unterminated-macro']);
  });

  it('reports malformed calls', () => {
    const r = expandMacros('`bad(1` `two words`', macros);
    expect(r.diagnostics.map((d) => [d.code, d.column])).toEqual([
      ['spl/macro-syntax', 1],
      ['spl/macro-syntax', 9],
    ]);
  });
});

describe('parser robustness', () => {
  const samples = [
    '', '|', '||', '| tstats', '| tstats count from', '| tstats count from datamodel=', '| where (', '| eval x=', 'a=(', '"', "'", '`', '```',
    '[', ']', '[[[', 'NOT', 'OR OR', 'a IN (', 'a IN', '| rex "(?<', '| rename a as', '| lookup', '| join [', '| stats count(',
    'a=1 | where x IN (1,', 'a=1 | where like(', 'a=1 | where match(x', '| from datamodel:', '| datamodel', 'x=CASE(', 'TERM(',
  ];
  it('never throws and returns positions inside the text', () => {
    for (const s of samples) {
      const a = analyzeSpl(s);
      for (const d of a.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
      expect(parseSpl(s).ast).not.toBeNull();
    }
  });

  it('survives random input', () => {
    const alphabet = ['a', '=', '"', '(', ')', '[', ']', '|', ' ', '`', '*', '\\', 'NOT', 'OR', 'IN', ',', 'where', 'eval', "'", '<', '!', '\n', '```'];
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 500; n++) {
      let s = '';
      const len = Math.floor(rand() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect(() => analyzeSpl(s)).not.toThrow();
    }
  });
});
