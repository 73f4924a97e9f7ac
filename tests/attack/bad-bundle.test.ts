import { describe, expect, it } from 'vitest';
import { loadAttack, resolveTechnique } from '../../src/lib/attack/index.js';
import { bundleFile, pattern, relationship, tempFile } from './fixture.js';

describe('loadAttack on bad bundles: diagnostics, never a throw', () => {
  it('reports a missing file', () => {
    const { attack, diagnostics } = loadAttack('/nonexistent/enterprise-attack.json');
    expect(attack.techniques.size).toBe(0);
    expect(attack.tactics).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['attack/unreadable']);
    expect(diagnostics[0]!.hint).not.toBe('');
  });

  it('reports invalid JSON with a line and column', () => {
    const file = tempFile('bad.json', '{\n  "type": "bundle",\n  "objects": [\n    {"type": "attack-pattern",}\n  ]\n}\n');
    const { attack, diagnostics } = loadAttack(file);
    expect(attack.techniques.size).toBe(0);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'attack/json-syntax', severity: 'error' });
    expect(diagnostics[0]!.file).toContain('bad.json');
    expect(diagnostics[0]!.line).toBe(4);
  });

  it('reports JSON that is not a bundle', () => {
    for (const text of ['[]', '{"type": "bundle"}', '{"type": "report", "objects": []}', '42', 'null']) {
      const { diagnostics } = loadAttack(tempFile('x.json', text));
      expect(diagnostics.map((d) => d.code)).toEqual(['attack/not-a-bundle']);
    }
  });

  it('skips malformed objects and techniques without an ATT&CK ID', () => {
    const noId = { ...pattern('T1001'), external_references: [{ source_name: 'capec', external_id: 'CAPEC-1' }] };
    const { attack, diagnostics } = loadAttack(bundleFile([pattern('T1059'), noId, 42 as never, { type: 'attack-pattern' }]));
    expect([...attack.techniques.keys()]).toEqual(['T1059']);
    const codes = diagnostics.map((d) => d.code);
    expect(codes).toContain('attack/bad-object');
    expect(codes).toContain('attack/missing-external-id');
    expect(codes).toContain('attack/no-matrix');
  });

  it('survives wrong types in object fields', () => {
    const weird = pattern('T1059', { name: 7, description: null, kill_chain_phases: 'execution', x_mitre_platforms: [1, 'Windows'], external_references: [null, { source_name: 'mitre-attack', external_id: 'T1059' }] });
    const { attack } = loadAttack(bundleFile([weird]));
    expect(attack.techniques.get('T1059')).toMatchObject({ name: '', description: '', tactics: [], platforms: ['Windows'] });
  });

  it('reports an empty bundle', () => {
    const { diagnostics } = loadAttack(bundleFile([{ type: 'identity', id: 'identity--x' }]));
    expect(diagnostics.map((d) => d.code)).toContain('attack/no-techniques');
  });

  it('follows revoked-by chains to the live end', () => {
    const a = pattern('T1001', { revoked: true });
    const b = pattern('T1002', { revoked: true });
    const c = pattern('T1003');
    const { attack } = loadAttack(bundleFile([a, b, c, relationship('revoked-by', a, b), relationship('revoked-by', b, c)]));
    expect(attack.techniques.get('T1001')!.revokedBy).toBe('T1003');
    expect(attack.techniques.get('T1002')!.revokedBy).toBe('T1003');
    expect(resolveTechnique(attack, 'T1001')).toEqual({ id: 'T1003', via: 'revoked', from: 'T1001' });
  });

  it('reports a revoked-by cycle instead of looping', () => {
    const a = pattern('T1001', { revoked: true });
    const b = pattern('T1002', { revoked: true });
    const { attack, diagnostics } = loadAttack(bundleFile([a, b, relationship('revoked-by', a, b), relationship('revoked-by', b, a)]));
    expect(diagnostics.filter((d) => d.code === 'attack/revoked-cycle')).toHaveLength(2);
    expect(resolveTechnique(attack, 'T1001')).toBeNull();
  });

  it('falls back to the ID prefix when a sub-technique has no subtechnique-of relationship', () => {
    const { attack, diagnostics } = loadAttack(bundleFile([pattern('T1059'), pattern('T1059.001')]));
    expect(attack.techniques.get('T1059.001')!.parentId).toBe('T1059');
    expect(attack.techniques.get('T1059')!.subtechniques).toEqual(['T1059.001']);
    expect(diagnostics.map((d) => d.code)).toContain('attack/missing-parent');
  });

  it('keeps the live copy of a duplicated ID', () => {
    const { attack, diagnostics } = loadAttack(bundleFile([pattern('T1059', { revoked: true }), pattern('T1059', { name: 'Live' })]));
    expect(attack.techniques.get('T1059')!.name).toBe('Live');
    expect(diagnostics.map((d) => d.code)).toContain('attack/duplicate-id');
  });

  it('infers the release from dates when there is no collection object', () => {
    const at = (modified: string) => loadAttack(bundleFile([pattern('T1059', { modified })])).attack;
    expect(at('2025-11-12T22:03:39.105Z')).toMatchObject({ version: '18.1', versionSource: 'inferred' });
    expect(at('2025-10-21T15:10:28.402Z')).toMatchObject({ version: '18.0', versionSource: 'inferred' });
    expect(at('2025-04-25T14:41:40.982Z')).toMatchObject({ version: '17.1', versionSource: 'inferred' });
    expect(at('2023-01-01T00:00:00.000Z')).toMatchObject({ version: 'unknown', versionSource: 'unknown' });
    expect(at('2030-01-01T00:00:00.000Z')).toMatchObject({ version: 'unknown', versionSource: 'unknown' });
  });
});
