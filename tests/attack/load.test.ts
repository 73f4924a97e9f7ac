import { describe, expect, it } from 'vitest';
import { isLive, loadAttack, logSourcesOfTechnique } from '../../src/lib/attack/index.js';
import { CROSSWALK, SAMPLE_BUNDLE } from './fixture.js';

const { attack, diagnostics } = loadAttack(SAMPLE_BUNDLE, CROSSWALK);

describe('loadAttack on the sample bundle', () => {
  it('loads without errors; crosswalk targets missing from the small bundle are only info', () => {
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    for (const d of diagnostics) expect(d.code).toBe('attack/crosswalk-target-missing');
  });

  it('reads the version from the collection object', () => {
    expect(attack.version).toBe('18.1');
    expect(attack.versionSource).toBe('collection');
    expect(attack.domain).toBe('Enterprise ATT&CK');
    expect(attack.modified).toBe('2025-10-20T00:00:00.000Z');
  });

  it('orders tactics by the matrix, not by their order in the bundle', () => {
    expect(attack.tactics.map((t) => t.shortname)).toEqual([
      'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
      'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
      'exfiltration', 'impact',
    ]);
    expect(attack.tactics[3]).toMatchObject({ id: 'TA0002', shortname: 'execution', name: 'Execution' });
  });

  it('keys techniques by ID, in ID order, live and not', () => {
    const ids = [...attack.techniques.keys()];
    expect(ids).toHaveLength(34);
    expect(ids).toEqual([...ids].sort());
    expect(ids.indexOf('T1059')).toBeLessThan(ids.indexOf('T1059.001'));
    expect([...attack.techniques.values()].filter(isLive)).toHaveLength(32);
  });

  it('puts a technique\'s tactics in kill-chain order', () => {
    expect(attack.techniques.get('T1078')!.tactics).toEqual(['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion']);
    expect(attack.techniques.get('T1055')!.tactics).toEqual(['privilege-escalation', 'defense-evasion']);
  });

  it('links sub-techniques and parents through subtechnique-of', () => {
    const ps = attack.techniques.get('T1059.001')!;
    expect(ps).toMatchObject({ isSubtechnique: true, parentId: 'T1059', name: 'PowerShell', url: 'https://attack.mitre.org/techniques/T1059/001' });
    expect(attack.techniques.get('T1059')!.subtechniques).toEqual(['T1059.001', 'T1059.003']);
    expect(attack.techniques.get('T1059')!.isSubtechnique).toBe(false);
    expect(attack.techniques.get('T1078')!.subtechniques).toEqual([]);
  });

  it('resolves revoked-by and flags deprecated techniques', () => {
    expect(attack.techniques.get('T1086')).toMatchObject({ revoked: true, revokedBy: 'T1059.001' });
    expect(attack.techniques.get('T1064')).toMatchObject({ deprecated: true, revoked: false });
    expect(attack.techniques.get('T1064')!.revokedBy).toBeUndefined();
  });

  it('keeps descriptions as Markdown and external references for citations', () => {
    const t = attack.techniques.get('T1059.001')!;
    expect(t.description).toContain('(Citation: Sample PowerShell Logging)');
    expect(t.references.map((r) => r.source_name)).toEqual(['Sample Shells 2024', 'Sample PowerShell Logging']);
    expect(t.references.every((r) => r.source_name !== 'mitre-attack')).toBe(true);
    expect(t.stixId).toMatch(/^attack-pattern--/);
  });

  it('builds the v18 detection model: strategy -> analytic -> log sources -> data component', () => {
    expect(attack.detectionStrategies.size).toBe(1);
    const [strategy] = attack.detectionStrategiesByTechnique.get('T1059.001')!;
    expect(strategy).toMatchObject({ id: 'DET9001', techniques: ['T1059.001'] });
    expect(strategy!.analytics.map((a) => a.id)).toEqual(['AN9001']);
    expect(strategy!.analytics[0]!.logSources).toEqual([
      { name: 'WinEventLog:PowerShell', channel: 'EventCode=4104', dataComponentId: 'DC0064', dataComponent: 'Command Execution' },
      { name: 'WinEventLog:PowerShell', channel: 'EventCode=4103', dataComponentId: 'DC0064', dataComponent: 'Command Execution' },
    ]);
    expect(attack.dataComponents.get('DC0064')!.techniques).toEqual(['T1059.001']);
    expect(attack.dataComponentsByTechnique.get('T1059.001')!.map((d) => d.id)).toEqual(['DC0064']);
    expect(attack.techniques.get('T1059.001')!.dataSources).toEqual(['Command Execution']);
    expect(attack.detectionStrategiesByTechnique.has('T1059')).toBe(false);
    expect(logSourcesOfTechnique(attack, 'T1059.001').map((l) => l.channel)).toEqual(['EventCode=4104', 'EventCode=4103']);
  });

  it('loads the crosswalk into the model', () => {
    expect(attack.crosswalk.get('T1685')).toMatchObject({ v18: 'T1562.001', name: 'Disable or Modify Tools' });
  });
});
