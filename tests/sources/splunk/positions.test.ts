import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { RuleFilePositions } from '../../../src/lib/sources/splunk/positions.js';
import { splitDataSources, trailingEventIds } from '../../../src/lib/sources/splunk/events.js';
import { riskSeverity } from '../../../src/lib/sources/splunk/metadata.js';

/** Check that every value character maps back to the same character in the file (escapes aside). */
function mapped(text: string): { value: string; offsets: number[] } {
  const value = String((yaml.load(text) as { search: unknown }).search);
  const offsets = new RuleFilePositions(text).scalarOffsets('search', value);
  expect(offsets).not.toBeNull();
  return { value, offsets: offsets! };
}

describe('RuleFilePositions.scalarOffsets', () => {
  it('undoes single-quote escapes and line folding', () => {
    const text = "name: x\nsearch: 'a=''b''\n  c=1   \n\n  d=2'\nid: 1\n";
    const { value, offsets } = mapped(text);
    expect(value).toBe("a='b' c=1\nd=2");
    expect(text[offsets[value.indexOf('c')]!]).toBe('c');
    expect(text[offsets[value.indexOf('d')]!]).toBe('d');
    expect(text.slice(offsets[2]!, offsets[2]! + 2)).toBe("''");
  });

  it('undoes double-quote escapes and escaped line breaks', () => {
    const text = 'search: "x=\\"a\\\\b\\" \\\n  y=1\n  z=\\t2"\n';
    const { value, offsets } = mapped(text);
    expect(value).toBe('x="a\\b" y=1 z=\t2');
    expect(text[offsets[value.indexOf('y')]!]).toBe('y');
    expect(text[offsets[value.indexOf('z')]!]).toBe('z');
  });

  it('maps plain multi-line scalars and scalars starting on the next line', () => {
    const plain = mapped('search: a=1\n  b=2 # comment\nid: 3\n');
    expect(plain.value).toBe('a=1 b=2');
    const next = 'search:\n  "q=1\n  r=2"\n';
    const n = mapped(next);
    expect(next[n.offsets[n.value.indexOf('r')]!]).toBe('r');
  });

  it('maps literal block scalars line by line', () => {
    const text = 'search: |\n  a=1\n    | stats count\n\n  | table x\nid: 1\n';
    const { value, offsets } = mapped(text);
    expect(value).toBe('a=1\n  | stats count\n\n| table x\n');
    expect(text[offsets[value.indexOf('table')]!]).toBe('t');
  });

  it('returns null when the reconstruction disagrees', () => {
    expect(new RuleFilePositions('search: a=1\n').scalarOffsets('search', 'something else')).toBeNull();
    expect(new RuleFilePositions('name: x\n').scalarOffsets('search', 'x')).toBeNull();
  });

  it('finds whole technique IDs only', () => {
    const pos = new RuleFilePositions('tags:\n  mitre_attack_id:\n  - T1003.001\n  - T1003\n');
    expect(pos.nestedKeyLine('tags', 'mitre_attack_id')).toBe(2);
    expect(pos.valueAt('T1003', 2)).toEqual({ line: 4, column: 5 });
  });
});

describe('data source names and risk', () => {
  it('splits `A AND B` and reads trailing event IDs', () => {
    expect(splitDataSources(['Sysmon EventID 1 AND Sysmon EventID 11', 'Sysmon EventID 1', 7, ''])).toEqual(['Sysmon EventID 1', 'Sysmon EventID 11']);
    expect(splitDataSources('Okta')).toEqual(['Okta']);
    expect(splitDataSources(undefined)).toEqual([]);
    expect(trailingEventIds('NTLM Operational 8004,8005,8006')).toEqual([8004, 8005, 8006]);
    expect(trailingEventIds('Windows Event Log Security 4688')).toEqual([4688]);
    expect(trailingEventIds('Okta')).toEqual([]);
    expect(trailingEventIds('ABC123')).toEqual([]);
  });

  it('buckets risk scores like contentctl and derives them from impact and confidence', () => {
    expect(riskSeverity({ risk_score: 81 })).toEqual({ score: 81, severity: 'critical' });
    expect(riskSeverity({ risk_score: '60' })).toEqual({ score: 60, severity: 'high' });
    expect(riskSeverity({ impact: 50, confidence: 50 })).toEqual({ score: 25, severity: 'low' });
    expect(riskSeverity({ risk_score: 5 })).toEqual({ score: 5, severity: 'informational' });
    expect(riskSeverity({})).toEqual({});
  });
});
