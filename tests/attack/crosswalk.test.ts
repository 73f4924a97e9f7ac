import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../src/lib/catalog/load.js';
import { loadAttack, loadCrosswalk } from '../../src/lib/attack/index.js';
import { CROSSWALK, SAMPLE_BUNDLE, tempFile } from './fixture.js';

function catalogError(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CatalogError) return e;
    throw e;
  }
  throw new Error('expected a CatalogError');
}

describe('catalog/attack/crosswalk-v19.yaml', () => {
  it('is valid and maps v19 IDs to v18 IDs', () => {
    const { techniques: map, tactics } = loadCrosswalk(CROSSWALK);
    expect(map.size).toBeGreaterThanOrEqual(16);
    expect(tactics.get('stealth')).toMatchObject({ id: 'TA0005', v18: 'defense-evasion' });
    expect(tactics.get('defense-impairment')).toMatchObject({ id: 'TA0112', v18: 'defense-evasion' });
    expect(map.get('T1685')).toMatchObject({ v19: 'T1685', v18: 'T1562.001' });
    for (const [v19, e] of map) {
      expect(e.v19).toBe(v19);
      expect(e.v18).not.toBe(v19);
    }
  });

  it('fails the build on a YAML syntax error, with its line', () => {
    const file = tempFile('cw.yaml', 'note: x\nmappings:\n  - v19: T1685\n    v18: [T1562.001\n');
    const err = catalogError(() => loadCrosswalk(file, 'catalog/attack/bad.yaml'));
    expect(err.diagnostics[0]).toMatchObject({ code: 'catalog/yaml-syntax', file: 'catalog/attack/bad.yaml' });
    expect(err.diagnostics[0]!.line).toBeGreaterThan(1);
  });

  it('fails the build on a schema error (bad ID, missing reason, unknown key)', () => {
    const file = tempFile('cw.yaml', 'note: x\nmappings:\n  - v19: t1685\n    v18: T1562.001\n    name: n\n    reason: r\n  - v19: T1686\n    v18: T1562.004\n    name: n\n  - v19: T1689\n    v18: T1562.010\n    name: n\n    reason: r\n    extra: 1\n');
    const err = catalogError(() => loadCrosswalk(file));
    const messages = err.diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.startsWith('mappings.0.v19:'))).toBe(true);
    expect(messages.some((m) => m.startsWith('mappings.1.reason:'))).toBe(true);
    expect(messages.some((m) => m.includes('extra'))).toBe(true);
    expect(err.diagnostics.every((d) => d.code === 'catalog/schema')).toBe(true);
  });

  it('fails the build on a duplicate v19 ID, pointing at the second row', () => {
    const file = tempFile('cw.yaml', 'note: x\nmappings:\n  - v19: T1685\n    v18: T1562.001\n    name: n\n    reason: r\n  - v19: T1685\n    v18: T1562.006\n    name: n\n    reason: r\n');
    const err = catalogError(() => loadCrosswalk(file));
    expect(err.diagnostics).toHaveLength(1);
    expect(err.diagnostics[0]).toMatchObject({ code: 'catalog/duplicate-crosswalk', line: 7 });
  });

  it('accepts a file without tactics, and rejects a bad tactic row', () => {
    const ok = tempFile('cw.yaml', 'note: x\nmappings:\n  - v19: T1685\n    v18: T1562.001\n    name: n\n    reason: r\n');
    expect(loadCrosswalk(ok).tactics.size).toBe(0);
    const bad = tempFile('cw.yaml', 'note: x\nmappings:\n  - v19: T1685\n    v18: T1562.001\n    name: n\n    reason: r\ntactics:\n  - v19: Stealth\n    v18: defense-evasion\n    name: n\n    reason: r\n');
    const err = catalogError(() => loadCrosswalk(bad));
    expect(err.diagnostics[0]!.message).toMatch(/^tactics\.0\.v19:/);
    expect(err.diagnostics[0]!.line).toBe(8);
  });

  it('makes loadAttack throw when the crosswalk is broken (our data), unlike a bad bundle', () => {
    const file = tempFile('cw.yaml', 'mappings: []\n');
    expect(() => loadAttack(SAMPLE_BUNDLE, file)).toThrow(CatalogError);
  });

  it('fails the build when the file is missing', () => {
    const err = catalogError(() => loadCrosswalk('/nonexistent/crosswalk.yaml'));
    expect(err.diagnostics[0]!.code).toBe('catalog/unreadable');
  });
});
