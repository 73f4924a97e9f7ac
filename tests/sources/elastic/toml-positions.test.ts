import { describe, expect, it } from 'vitest';
import { scanTomlPositions, skipTomlString } from '../../../src/lib/sources/elastic/toml-positions.js';

describe('scanTomlPositions', () => {
  const text = [
    '[metadata]',
    'maturity = "production"',
    '',
    '[rule]',
    'note = """',
    '[not.a.table]',
    'query = "not a key"',
    '"""',
    "tags = [",
    '  "a", # comment with query = x',
    "  '''",
    "[still.not]",
    "  ''',",
    ']',
    "query = '''",
    'sequence',
    '[process where true]',
    "'''",
    '',
    '[rule.filters.query.wildcard."file.path"]',
    'value = "C:\\\\x\\"y"',
    '[[rule.threat.technique]]',
    'id = "T1059"',
  ].join('\n');
  const scan = scanTomlPositions(text);

  it('finds keys only outside strings, arrays and comments', () => {
    expect(scan.keys.map((k) => `${k.table}:${k.key}`)).toEqual([
      'metadata:maturity',
      'rule:note',
      'rule:tags',
      'rule:query',
      'rule.filters.query.wildcard.file.path:value',
      'rule.threat.technique:id',
    ]);
  });

  it('finds table headers with quoted segments', () => {
    expect(scan.headers.map((h) => h.table)).toEqual(['metadata', 'rule', 'rule.filters.query.wildcard.file.path', 'rule.threat.technique']);
  });

  it('points at the first character of a value', () => {
    const q = scan.keys.find((k) => k.key === 'query')!;
    expect(text.slice(q.valueOffset, q.valueOffset + 3)).toBe("'''");
  });
});

describe('skipTomlString', () => {
  it('skips the four string forms', () => {
    expect(skipTomlString('"a\\"b" x', 0)).toBe(6);
    expect(skipTomlString("'a\\' x", 0)).toBe(4);
    expect(skipTomlString('"""a\\"""b""" x', 0)).toBe(12);
    expect(skipTomlString("'''a''''' x", 0)).toBe(9);
  });
});
