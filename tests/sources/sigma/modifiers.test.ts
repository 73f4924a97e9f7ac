import { describe, expect, it } from 'vitest';
import { SIGMA_MODIFIERS } from '../../../src/lib/sources/sigma/index.js';
import { load, rule, sexpr, withDetection } from './helpers.js';

/** Logic of a one-selection rule whose selection is the given lines. */
const sel = (lines: string): string => sexpr(withDetection(`    selection:\n${lines}\n    condition: selection`));

describe('Sigma modifiers (one case per registry entry)', () => {
  it('contains / startswith / endswith become globs', () => {
    expect(sel("        CommandLine|contains: 'whoami'")).toBe('(wildcard CommandLine "*whoami*")');
    expect(sel("        Image|startswith: 'C:\\Temp\\'")).toBe('(wildcard Image "C:\\\\Temp\\\\*")');
    expect(sel("        Image|endswith: '\\cmd.exe'")).toBe('(wildcard Image "*\\\\cmd.exe")');
  });

  it('anchors do not double a wildcard already written', () => {
    expect(sel("        CommandLine|contains: '*foo*'")).toBe('(wildcard CommandLine "*foo*")');
    expect(sel("        CommandLine|contains: ''")).toBe('(wildcard CommandLine "*")');
  });

  it('keeps the value as written in raw when the canonical value differs', () => {
    const p = rule(withDetection("    selection:\n        Image|endswith: '\\cmd.exe'\n    condition: selection")).parts[0]!.logic;
    expect(p).toMatchObject({ kind: 'pred', pred: { value: '*\\cmd.exe', raw: '\\cmd.exe' } });
  });

  it('all turns the value list into an AND', () => {
    expect(sel("        CommandLine|contains|all:\n            - ' -a '\n            - ' -b '")).toBe(
      '(and (wildcard CommandLine "* -a *") (wildcard CommandLine "* -b *"))',
    );
  });

  it('re keeps the pattern text with dialect pcre, and i/m/s become flags', () => {
    expect(sel("        CommandLine|re: '\\s-e(nc)?\\s'")).toBe('(regex_match CommandLine "\\\\s-e(nc)?\\\\s" :dialect=pcre)');
    expect(sel("        CommandLine|re|i: 'abc'")).toBe('(regex_match CommandLine "abc" :dialect=pcre :flags=i)');
    expect(sel("        CommandLine|re|s|i|m: 'a.b'")).toBe('(regex_match CommandLine "a.b" :dialect=pcre :flags=ims)');
    expect(sel("        CommandLine|re|ignorecase|multiline|dotall: 'x'")).toBe('(regex_match CommandLine "x" :dialect=pcre :flags=ims)');
  });

  it('re keeps YAML double-quoted escapes as the loaded pattern', () => {
    expect(sel('        CommandLine|re: "\\\\d+\\\\.exe$"')).toBe('(regex_match CommandLine "\\\\d+\\\\.exe$" :dialect=pcre)');
  });

  it('base64 and base64offset are recorded as transforms on the plain value', () => {
    expect(sel("        CommandLine|base64: 'IEX'")).toBe('(eq CommandLine "IEX" :t=base64)');
    expect(sel("        CommandLine|base64offset|contains: 'http://'")).toBe('(wildcard CommandLine "*http://*" :t=base64offset)');
  });

  it('utf16le / utf16be / utf16 / wide chain with base64offset', () => {
    expect(sel("        ScriptBlockText|utf16le|base64offset|contains: 'Invoke'")).toBe(
      '(wildcard ScriptBlockText "*Invoke*" :t=utf16le,base64offset)',
    );
    expect(sel("        Data|utf16be|base64offset|contains: 'x'")).toBe('(wildcard Data "*x*" :t=utf16be,base64offset)');
    expect(sel("        Data|utf16|base64offset|contains: 'x'")).toBe('(wildcard Data "*x*" :t=utf16,base64offset)');
    expect(sel("        Data|wide|base64offset|contains: 'x'")).toBe('(wildcard Data "*x*" :t=wide,base64offset)');
  });

  it('windash is recorded, not expanded (one predicate per written value)', () => {
    expect(sel("        CommandLine|contains|windash: '-enc '")).toBe('(wildcard CommandLine "*-enc *" :t=windash)');
    expect(sel("        CommandLine|contains|all|windash:\n            - '-s '\n            - '-t '")).toBe(
      '(and (wildcard CommandLine "*-s *" :t=windash) (wildcard CommandLine "*-t *" :t=windash))',
    );
    expect(sel("        CommandLine|windash|contains: '-k'")).toBe('(wildcard CommandLine "*-k*" :t=windash)');
  });

  it('cidr', () => {
    expect(sel("        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - 'fe80::/10'")).toBe(
      '(or (cidr DestinationIp "10.0.0.0/8") (cidr DestinationIp "fe80::/10"))',
    );
  });

  it('exists', () => {
    expect(sel('        PasswordLastSet|exists: true')).toBe('(exists PasswordLastSet true)');
    expect(sel('        PasswordLastSet|exists: false')).toBe('(exists PasswordLastSet false)');
  });

  it('fieldref, alone and with neq', () => {
    expect(sel("        TargetUserName|fieldref: 'SubjectUserName'")).toBe('(fieldref TargetUserName "SubjectUserName")');
    expect(sel("        TargetUserName|fieldref|neq: 'SubjectUserName'")).toBe('(not (fieldref TargetUserName "SubjectUserName"))');
  });

  it('gt / gte / lt / lte take numbers (numeric strings too)', () => {
    expect(sel('        Count|gt: 10')).toBe('(gt Count 10)');
    expect(sel("        Count|gte: '10'")).toBe('(gte Count 10)');
    expect(sel('        Size|lt: 2.5')).toBe('(lt Size 2.5)');
    expect(sel('        Size|lte: 0')).toBe('(lte Size 0)');
  });

  it('neq negates each value', () => {
    expect(sel("        User|neq:\n            - 'a'\n            - 'b'")).toBe('(or (not (eq User "a")) (not (eq User "b")))');
  });

  it('expand keeps placeholders and records the transform', () => {
    expect(sel("        ComputerName|expand: '%DomainControllers%'")).toBe('(eq ComputerName "%DomainControllers%" :t=expand)');
    expect(sel("        CommandLine|contains|expand: '%userdomain%'")).toBe('(wildcard CommandLine "*%userdomain%*" :t=expand)');
  });

  it('cased sets caseSensitive', () => {
    expect(sel("        CommandLine|cased|contains: 'AbC'")).toBe('(wildcard CommandLine "*AbC*" :cs)');
    expect(sel("        CommandLine|contains|cased: 'AbC'")).toBe('(wildcard CommandLine "*AbC*" :cs)');
  });

  it('time modifiers record the extracted part', () => {
    expect(sel('        EventTime|hour|gte: 22')).toBe('(gte EventTime 22 :t=hour)');
    expect(sel('        EventTime|minute: 5')).toBe('(eq EventTime 5 :t=minute)');
    for (const part of ['day', 'week', 'month', 'year']) {
      expect(sel(`        EventTime|${part}|lt: 3`)).toBe(`(lt EventTime 3 :t=${part})`);
    }
  });

  it('every registry entry is exercised above', () => {
    expect(Object.keys(SIGMA_MODIFIERS).sort()).toEqual(
      [
        'all', 'base64', 'base64offset', 'cased', 'cidr', 'contains', 'day', 'dotall', 'endswith', 'exists', 'expand', 'fieldref',
        'gt', 'gte', 'hour', 'i', 'ignorecase', 'lt', 'lte', 'm', 'minute', 'month', 'multiline', 'neq', 're', 's', 'startswith',
        'utf16', 'utf16be', 'utf16le', 'week', 'wide', 'windash', 'year',
      ].sort(),
    );
  });
});

describe('modifier errors skip the rule', () => {
  const errs = (lines: string): string[] =>
    load(withDetection(`    selection:\n${lines}\n    condition: selection`)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

  it.each([
    ["        CommandLine|foo: 'x'", 'sigma/unknown-modifier'],
    ["        CommandLine|Contains: 'x'", 'sigma/unknown-modifier'],
    ["        CommandLine|contains|startswith: 'x'", 'sigma/invalid-modifier-combination'],
    ["        CommandLine|i: 'x'", 'sigma/invalid-modifier-combination'],
    ["        CommandLine|contains|re: 'x'", 'sigma/invalid-modifier-combination'],
    ["        CommandLine|contains|base64offset: 'x'", 'sigma/invalid-modifier-combination'],
    ["        CommandLine|re|contains: 'x'", 'sigma/invalid-modifier-combination'],
    ["        Ip|cidr: 'not-a-network'", 'sigma/invalid-value'],
    ["        Field|exists: 'maybe'", 'sigma/invalid-value'],
    ["        Count|gt: 'ten'", 'sigma/invalid-value'],
    ['        Field:\n            nested: 1', 'sigma/invalid-value'],
  ])('%s -> %s', (lines, code) => {
    expect(errs(lines)).toEqual([code]);
    expect(load(withDetection(`    selection:\n${lines}\n    condition: selection`)).rules).toHaveLength(0);
  });

  it('warns about |all on a single value but keeps the rule', () => {
    const res = load(withDetection("    selection:\n        CommandLine|contains|all: 'x'\n    condition: selection"));
    expect(res.rules).toHaveLength(1);
    expect(res.diagnostics.map((d) => d.code)).toEqual(['sigma/all-single-value']);
  });
});
