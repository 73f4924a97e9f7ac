import { describe, expect, it } from 'vitest';
import { loadAttack, normalizeTechniqueId, resolveTactic, resolveTechnique } from '../../src/lib/attack/index.js';
import { CROSSWALK, SAMPLE_BUNDLE, bundleFile, pattern, relationship, tempFile } from './fixture.js';

const { attack } = loadAttack(SAMPLE_BUNDLE, CROSSWALK);

describe('normalizeTechniqueId', () => {
  it.each([
    ['T1059', 'T1059'],
    ['t1059.001', 'T1059.001'],
    ['  T1059.001 ', 'T1059.001'],
    ['attack.t1003.001', 'T1003.001'],
    ['ATTACK.T1003', 'T1003'],
  ])('%s -> %s', (input, out) => expect(normalizeTechniqueId(input)).toBe(out));

  it.each(['TA0002', 'attack.execution', 'T105', 'T1059.1', 'T1059.0001', 'G0016', 'S0002', '', 'attack.', 'xT1059'])('rejects %j', (input) => {
    expect(normalizeTechniqueId(input)).toBeNull();
  });
});

describe('resolveTechnique', () => {
  it('resolves a live ID as itself', () => {
    expect(resolveTechnique(attack, 'T1059.001')).toEqual({ id: 'T1059.001', via: 'bundle', from: 'T1059.001' });
    expect(resolveTechnique(attack, 'T1078')).toEqual({ id: 'T1078', via: 'bundle', from: 'T1078' });
  });

  it('normalizes case and the Sigma prefix', () => {
    expect(resolveTechnique(attack, 't1059.001')).toEqual({ id: 'T1059.001', via: 'bundle', from: 'T1059.001' });
    expect(resolveTechnique(attack, 'attack.t1218.011')).toEqual({ id: 'T1218.011', via: 'bundle', from: 'T1218.011' });
  });

  it('redirects a revoked ID to its replacement', () => {
    expect(resolveTechnique(attack, 't1086')).toEqual({ id: 'T1059.001', via: 'revoked', from: 'T1086' });
  });

  it('keeps a deprecated ID as itself (pages flag it)', () => {
    expect(resolveTechnique(attack, 'T1064')).toEqual({ id: 'T1064', via: 'bundle', from: 'T1064' });
  });

  it('maps a v19 ID through the crosswalk', () => {
    expect(resolveTechnique(attack, 'attack.t1685')).toEqual({ id: 'T1562.001', via: 'crosswalk', from: 'T1685' });
    expect(resolveTechnique(attack, 'T1685.005')).toEqual({ id: 'T1070.001', via: 'crosswalk', from: 'T1685.005' });
  });

  it('returns null for unknown or malformed tags', () => {
    expect(resolveTechnique(attack, 'T9999')).toBeNull();
    expect(resolveTechnique(attack, 'T1059.999')).toBeNull();
    expect(resolveTechnique(attack, 'T1686.003')).toBeNull(); // target T1562.004 is not in the sample bundle
    expect(resolveTechnique(attack, 'attack.execution')).toBeNull();
    expect(resolveTechnique(attack, '')).toBeNull();
  });

  it('returns null for v19 IDs without a crosswalk', () => {
    const bare = loadAttack(SAMPLE_BUNDLE).attack;
    expect(bare.crosswalk.size).toBe(0);
    expect(resolveTechnique(bare, 'T1685')).toBeNull();
  });

  it('follows revocations of a crosswalk target', () => {
    const old = pattern('T1562.001', { revoked: true });
    const now = pattern('T1700');
    const file = bundleFile([old, now, relationship('revoked-by', old, now)]);
    const crosswalk = tempFile('cw.yaml', 'note: test\nmappings:\n  - v19: T1685\n    v18: T1562.001\n    name: Disable or Modify Tools\n    reason: test\n');
    const { attack: model } = loadAttack(file, crosswalk);
    expect(resolveTechnique(model, 'T1685')).toEqual({ id: 'T1700', via: 'crosswalk', from: 'T1685' });
  });
});

describe('resolveTactic', () => {
  it('resolves shortnames, names and IDs of the bundle', () => {
    expect(resolveTactic(attack, 'attack.execution')).toEqual({ shortname: 'execution', id: 'TA0002', via: 'bundle', from: 'execution' });
    expect(resolveTactic(attack, 'Privilege Escalation')).toEqual({ shortname: 'privilege-escalation', id: 'TA0004', via: 'bundle', from: 'privilege-escalation' });
    expect(resolveTactic(attack, 'ta0011')).toEqual({ shortname: 'command-and-control', id: 'TA0011', via: 'bundle', from: 'TA0011' });
  });

  it('maps the v19 tactics through the crosswalk', () => {
    expect(resolveTactic(attack, 'attack.stealth')).toEqual({ shortname: 'defense-evasion', id: 'TA0005', via: 'crosswalk', from: 'stealth' });
    expect(resolveTactic(attack, 'attack.defense-impairment')).toEqual({ shortname: 'defense-evasion', id: 'TA0005', via: 'crosswalk', from: 'defense-impairment' });
    expect(resolveTactic(attack, 'TA0112')).toEqual({ shortname: 'defense-evasion', id: 'TA0005', via: 'crosswalk', from: 'TA0112' });
  });

  it('returns null for unknown tactics and without a crosswalk', () => {
    expect(resolveTactic(attack, 'attack.t1059')).toBeNull();
    expect(resolveTactic(attack, 'TA9999')).toBeNull();
    expect(resolveTactic(loadAttack(SAMPLE_BUNDLE).attack, 'attack.stealth')).toBeNull();
  });
});
