import { describe, expect, it } from 'vitest';
import { FieldMapper } from '../../src/lib/normalize/field-mapper.js';
import { normalizeValue, globHasWildcard, foldValue } from '../../src/lib/normalize/value.js';
import { normalizePredicate, isIndicator } from '../../src/lib/normalize/predicate.js';
import type { MappingTable } from '../../src/lib/catalog/schema.js';
import type { RawPredicate } from '../../src/lib/model/logic.js';

const tables: MappingTable[] = [
  { id: 'win', title: 'Windows', fallback: 'prefix:winlog.event_data.', caseInsensitive: false, fields: { Image: 'process.executable', ParentImage: 'process.parent.executable', TargetFilename: 'file.path', EventID: 'event.code' } },
  { id: 'cim', title: 'CIM', fallback: 'prefix:splunk.', caseInsensitive: false, fields: { 'Processes.process_name': 'process.name' } },
  { id: 'ecs', title: 'ECS', fallback: 'identity', caseInsensitive: false, fields: {} },
  { id: 'ci', title: 'case-insensitive', fallback: 'identity', caseInsensitive: true, fields: { CommandLine: 'process.command_line' } },
];
const mapper = new FieldMapper(tables);
const norm = (pred: RawPredicate, t: string[], exclusion = false) => normalizePredicate({ pred, exclusion }, mapper, t);

describe('FieldMapper', () => {
  it('resolves in the first table that names the field, with provenance', () => {
    expect(mapper.map('Image', ['win', 'ecs'])).toEqual({ canonical: 'process.executable', table: 'win', via: 'table' });
    expect(mapper.map('Image', ['ecs', 'win'])).toEqual({ canonical: 'process.executable', table: 'win', via: 'table' });
  });
  it("falls back with the first table's rule", () => {
    expect(mapper.map('ServiceFileName', ['win'])).toEqual({ canonical: 'winlog.event_data.ServiceFileName', table: 'win', via: 'fallback' });
    expect(mapper.map('process.name', ['ecs'])).toEqual({ canonical: 'process.name', table: 'ecs', via: 'fallback' });
    expect(mapper.map('winlog.event_data.X', ['win']).canonical).toBe('winlog.event_data.X');
  });
  it('matches case-insensitively only where the table says so', () => {
    expect(mapper.map('commandline', ['ci']).canonical).toBe('process.command_line');
    expect(mapper.map('image', ['win']).via).toBe('fallback');
  });
  it('keeps an unknown table list harmless', () => {
    expect(mapper.map('x', ['nope'])).toEqual({ canonical: 'x', table: 'none', via: 'fallback' });
  });
});

describe('normalizeValue', () => {
  it('turns a path suffix wildcard into an equality on the name field', () => {
    expect(normalizeValue('process.executable', 'wildcard', '*\\cmd.exe')).toEqual({ canonical: 'process.name', operator: 'eq', value: 'cmd.exe' });
    expect(normalizeValue('process.parent.executable', 'wildcard', '*/bash')).toEqual({ canonical: 'process.parent.name', operator: 'eq', value: 'bash' });
    expect(normalizeValue('file.path', 'wildcard', '*\\evil.dll')).toEqual({ canonical: 'file.name', operator: 'eq', value: 'evil.dll' });
  });
  it('leaves wildcards that are not a plain file name', () => {
    expect(normalizeValue('process.executable', 'wildcard', '*cmd.exe').operator).toBe('wildcard');
    expect(normalizeValue('process.executable', 'wildcard', '*\\Temp\\*.exe').operator).toBe('wildcard');
    expect(normalizeValue('process.command_line', 'wildcard', '*\\cmd.exe').canonical).toBe('process.command_line');
    expect(normalizeValue('process.executable', 'wildcard', '*\\')).toEqual({ canonical: 'process.executable', operator: 'wildcard', value: '*\\' });
  });
  it('makes a glob without wildcard an equality, unescaping literal stars', () => {
    expect(normalizeValue('x', 'wildcard', 'a[*]b')).toEqual({ canonical: 'x', operator: 'eq', value: 'a*b' });
    expect(globHasWildcard('a[*]b[?]')).toBe(false);
    expect(globHasWildcard('a*')).toBe(true);
  });
  it('folds values for grouping, numbers as text', () => {
    expect(foldValue('CMD.EXE')).toBe('cmd.exe');
    expect(foldValue(4688)).toBe(foldValue('4688'));
    expect(foldValue(null)).toBe('null');
  });
});

describe('normalizePredicate', () => {
  it('puts Sigma endswith, CIM process_name and ECS process.name on one key', () => {
    const sigma = norm({ field: 'Image', operator: 'wildcard', value: '*\\cmd.exe', raw: '\\cmd.exe' }, ['win']);
    const cim = norm({ field: 'Processes.process_name', operator: 'eq', value: 'cmd.exe' }, ['cim']);
    const ecs = norm({ field: 'process.name', operator: 'eq', value: 'CMD.EXE', caseSensitive: true }, ['ecs']);
    expect(sigma.key).toBe(cim.key);
    expect(cim.key).toBe(ecs.key);
    expect(sigma).toMatchObject({ field: 'Image', canonical: 'process.name', operator: 'eq', value: 'cmd.exe', raw: '\\cmd.exe', mapping: { table: 'win', via: 'table' } });
    expect(ecs.value).toBe('CMD.EXE');
  });
  it('keeps transforms in the key so encoded values do not merge with plain ones', () => {
    const a = norm({ field: 'CommandLine', operator: 'wildcard', value: '*IEX*', transforms: ['base64offset'] }, ['ci']);
    const b = norm({ field: 'CommandLine', operator: 'wildcard', value: '*IEX*' }, ['ci']);
    expect(a.key).not.toBe(b.key);
  });
  it('does not map derived fields and never treats them as indicators', () => {
    const d = norm({ field: 'count', operator: 'gt', value: 5, derived: true }, ['cim']);
    expect(d.canonical).toBe('count');
    expect(d.mapping).toBeUndefined();
    expect(isIndicator(d)).toBe(false);
  });
  it('leaves event selectors and presence tests out of indicators', () => {
    expect(isIndicator(norm({ field: 'EventID', operator: 'eq', value: 1 }, ['win']))).toBe(false);
    expect(isIndicator(norm({ field: 'Image', operator: 'exists', value: true }, ['win']))).toBe(false);
    expect(isIndicator(norm({ field: null, operator: 'match', value: 'mimikatz' }, ['win']))).toBe(false);
  });
  it('carries polarity', () => {
    expect(norm({ field: 'Image', operator: 'eq', value: 'x' }, ['win'], true).exclusion).toBe(true);
  });
});
