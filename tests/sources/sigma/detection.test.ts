import { describe, expect, it } from 'vitest';
import { parseSigmaString } from '../../../src/lib/sources/sigma/index.js';
import { load, rule, sexpr, withDetection } from './helpers.js';

const det = (block: string): string => sexpr(withDetection(block));

describe('Sigma string escapes -> canonical glob', () => {
  it.each([
    ['plain', 'plain', false],
    ['C:\\Windows\\', 'C:\\Windows\\', false], // backslash before a normal char or at the end is literal
    ['C:\\\\Windows', 'C:\\Windows', false], // double backslash is one backslash
    ['a\\*b', 'a[*]b', false], // escaped wildcards are literal, bracketed in the glob
    ['what\\?', 'what[?]', false],
    ['a*b?c', 'a*b?c', true],
    ['\\\\*', '\\*', true], // escaped backslash then a real wildcard
    ['\\\\\\*', '\\[*]', false], // three backslashes: backslash + literal star
    ['\\\\\\\\', '\\\\', false], // four backslashes: two
  ])('%s', (input, glob, wildcard) => {
    const p = parseSigmaString(input);
    expect(p.glob).toBe(glob);
    expect(p.hasWildcard).toBe(wildcard);
  });

  it('gives eq with the unescaped literal when no wildcard remains', () => {
    expect(det("    selection:\n        CommandLine: 'say \\*hi\\*'\n    condition: selection")).toBe('(eq CommandLine "say *hi*")');
  });

  it('gives wildcard for values with unescaped wildcards', () => {
    // `\*` escapes the star (spec); a backslash before a wildcard is written `\\*`
    expect(det("    selection:\n        Image: 'C:\\Users\\\\*\\AppData\\\\*.exe'\n    condition: selection")).toBe(
      '(wildcard Image "C:\\\\Users\\\\*\\\\AppData\\\\*.exe")',
    );
    expect(det("    selection:\n        Image: 'C:\\Users\\*\\AppData'\n    condition: selection")).toBe('(eq Image "C:\\\\Users*\\\\AppData")');
  });

  it('keeps a trailing backslash', () => {
    expect(det("    selection:\n        TargetFilename|startswith: 'C:\\Temp\\'\n    condition: selection")).toBe('(wildcard TargetFilename "C:\\\\Temp\\\\*")');
  });
});

describe('Sigma detection structures', () => {
  it('a map is an AND of its fields', () => {
    expect(det("    selection:\n        Image|endswith: '\\x.exe'\n        User: 'bob'\n    condition: selection")).toBe(
      '(and (wildcard Image "*\\\\x.exe") (eq User "bob"))',
    );
  });

  it('a list of maps is an OR of ANDs', () => {
    expect(det("    selection:\n        - Image|endswith: '\\a.exe'\n          User: 'x'\n        - Description: 'y'\n    condition: selection")).toBe(
      '(or (and (wildcard Image "*\\\\a.exe") (eq User "x")) (eq Description "y"))',
    );
  });

  it('a value list is an OR', () => {
    expect(det("    selection:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n    condition: selection")).toBe(
      '(or (wildcard Image "*\\\\a.exe") (wildcard Image "*\\\\b.exe"))',
    );
  });

  it('keyword lists are OR-ed full-text matches with a null field', () => {
    expect(det("    keywords:\n        - 'mimikatz'\n        - 'sekurlsa::*'\n    condition: keywords")).toBe(
      '(or (match _ "mimikatz") (match _ "sekurlsa::*"))',
    );
  });

  it("'|all' keyword maps are AND-ed", () => {
    expect(det("    keywords:\n        '|all':\n            - 'Virtual'\n            - ' -ExternalUrl '\n    condition: keywords")).toBe(
      '(and (match _ "Virtual") (match _ " -ExternalUrl "))',
    );
  });

  it('a scalar selection is a single keyword', () => {
    expect(det("    keywords: 'evil'\n    condition: keywords")).toBe('(match _ "evil")');
  });

  it('null means the field is absent; empty string is eq ""', () => {
    expect(det("    selection:\n        PasswordLastSet: null\n        Comment: ''\n    condition: selection")).toBe(
      '(and (exists PasswordLastSet false) (eq Comment ""))',
    );
  });

  it('numbers and booleans keep their type; numeric EventID strings become numbers', () => {
    expect(det("    selection:\n        EventID: 4688\n        Enabled: true\n        Port: '445'\n    condition: selection")).toBe(
      '(and (eq EventID 4688) (eq Enabled true) (eq Port "445"))',
    );
    const r = rule(withDetection("    selection:\n        EventID:\n            - '4624'\n            - 4625\n    condition: selection"));
    expect(r.parts[0]!.logic).toMatchObject({
      kind: 'or',
      children: [{ pred: { value: 4624, raw: '4624' } }, { pred: { value: 4625 } }],
    });
  });

  it('keeps hex written as a plain YAML number as text', () => {
    expect(det('    selection:\n        TicketEncryptionType: 0x17\n    condition: selection')).toBe('(eq TicketEncryptionType "0x17")');
  });

  it('flattens a list of lists with a warning', () => {
    const text = withDetection("    selection:\n        Image:\n            - - 'a'\n              - 'b'\n            - 'c'\n    condition: selection");
    expect(sexpr(text)).toBe('(or (eq Image "a") (eq Image "b") (eq Image "c"))');
    expect(load(text).diagnostics.map((d) => d.code)).toEqual(['sigma/nested-list']);
  });

  it('accepts field names with spaces, dashes and dots, and selection names with dots and dashes', () => {
    expect(det("    sel.one:\n        New Value: 'x'\n    sel-two:\n        cs-uri-query|contains: 'y'\n        event.action: 'z'\n    condition: sel.one or sel-two")).toBe(
      '(or (eq New Value "x") (and (wildcard cs-uri-query "*y*") (eq event.action "z")))',
    );
  });

  it('a condition list is an OR of its conditions', () => {
    expect(det("    a:\n        X: 1\n    b:\n        Y: 2\n    condition:\n        - a\n        - b")).toBe('(or (eq X 1) (eq Y 2))');
  });

  it('reads a multi-line plain condition', () => {
    expect(det("    a:\n        X: 1\n    b:\n        Y: 2\n    condition: a and\n        not b")).toBe('(and (eq X 1) (not (eq Y 2)))');
  });

  it('1 of / all of expand over the matching selections', () => {
    expect(det("    selection_a:\n        X: 1\n    selection_b:\n        Y: 2\n    filter_x:\n        Z: 3\n    condition: all of selection_* and not 1 of filter_*")).toBe(
      '(and (eq X 1) (eq Y 2) (not (eq Z 3)))',
    );
  });

  it('predicate spans point at the value, relative to the query text', () => {
    const text = withDetection("    selection:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n    condition: selection");
    const r = rule(text);
    expect(r.queryLine).toBe(7);
    expect(r.query!.split('\n')[0]).toBe('detection:');
    const logic = r.parts[0]!.logic;
    expect(logic.kind === 'or' && logic.children.map((c) => (c.kind === 'pred' ? c.pred.span : null))).toEqual([
      { line: 4, column: 15, length: 8 },
      { line: 5, column: 15, length: 8 },
    ]);
  });
});
