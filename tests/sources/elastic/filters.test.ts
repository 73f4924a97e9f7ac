import { describe, expect, it } from 'vitest';
import { logicToSexpr } from '../../../src/lib/model/sexpr.js';
import { dslToLogic, esWildcardToGlob, filterToLogic, type FilterProblem } from '../../../src/lib/sources/elastic/filters.js';

const sexpr = (clause: unknown): string => {
  const problems: FilterProblem[] = [];
  const s = logicToSexpr(dslToLogic(clause, problems));
  return problems.length ? `${s} !${problems.length}` : s;
};

describe('Query DSL clauses', () => {
  it('reads phrase, term and terms clauses', () => {
    expect(sexpr({ match_phrase: { 'event.action': 'logon' } })).toBe('(eq event.action "logon")');
    expect(sexpr({ match_phrase: { 'event.action': { query: 'logon' } } })).toBe('(eq event.action "logon")');
    expect(sexpr({ match: { 'user.name': 'admin' } })).toBe('(eq user.name "admin")');
    expect(sexpr({ term: { 'event.code': '4624' } })).toBe('(eq event.code "4624" :cs)');
    expect(sexpr({ term: { 'user.name': { value: 'Admin', case_insensitive: true } } })).toBe('(eq user.name "Admin")');
    expect(sexpr({ terms: { 'event.code': ['1', '2'] } })).toBe('(or (eq event.code "1" :cs) (eq event.code "2" :cs))');
  });

  it('reads wildcard, prefix and regexp clauses', () => {
    expect(sexpr({ wildcard: { 'file.path': { value: '?:\\\\Temp\\\\*', case_insensitive: true } } })).toBe('(wildcard file.path "?:\\\\Temp\\\\*")');
    expect(sexpr({ wildcard: { 'file.name': 'a\\*b*' } })).toBe('(wildcard file.name "a[*]b*" :cs)');
    expect(sexpr({ wildcard: { 'file.name': 'plain' } })).toBe('(eq file.name "plain" :cs)');
    expect(sexpr({ prefix: { 'file.name': 'set*up' } })).toBe('(wildcard file.name "set[*]up*" :cs)');
    expect(sexpr({ regexp: { 'process.name': { value: 'a.*', case_insensitive: true } } })).toBe('(regex_match process.name "a.*" :dialect=lucene :flags=i)');
  });

  it('reads exists, range and bool clauses', () => {
    expect(sexpr({ exists: { field: 'user.name' } })).toBe('(exists user.name true)');
    expect(sexpr({ range: { 'destination.port': { gte: 1024, lt: 2048 } } })).toBe('(and (gte destination.port 1024) (lt destination.port 2048))');
    expect(
      sexpr({ bool: { must: [{ exists: { field: 'a' } }], should: [{ term: { b: 1 } }, { term: { b: 2 } }], must_not: { term: { c: 'x' } } } }),
    ).toBe('(and (exists a true) (or (eq b 1) (eq b 2)) (not (eq c "x" :cs)))');
  });

  it('reads query_string with the Lucene parser', () => {
    expect(sexpr({ query_string: { query: 'process.name:cmd.exe' } })).toBe('(eq process.name "cmd.exe")');
  });

  it('keeps unknown clauses as opaque text and notes a problem', () => {
    expect(sexpr({ geo_shape: { location: {} } })).toBe('(opaque "{\\"geo_shape\\":{\\"location\\":{}}}") !1');
  });
});

describe('filterToLogic', () => {
  it('negates filters with meta.negate and skips disabled ones', () => {
    const problems: FilterProblem[] = [];
    const negated = filterToLogic({ meta: { negate: true }, query: { exists: { field: 'a' } } }, problems);
    expect(negated && logicToSexpr(negated)).toBe('(not (exists a true))');
    expect(filterToLogic({ meta: { disabled: true }, query: { exists: { field: 'a' } } }, problems)).toBeNull();
    const legacy = filterToLogic({ $state: { store: 'appState' }, exists: { field: 'b' }, meta: { negate: false } }, problems);
    expect(legacy && logicToSexpr(legacy)).toBe('(exists b true)');
    expect(problems).toEqual([]);
  });
});

describe('esWildcardToGlob', () => {
  it('unescapes and marks literal wildcards', () => {
    expect(esWildcardToGlob('C:\\\\Windows\\\\*.exe')).toBe('C:\\Windows\\*.exe');
    expect(esWildcardToGlob('a\\?b')).toBe('a[?]b');
    expect(esWildcardToGlob('trailing\\')).toBe('trailing\\');
  });
});
