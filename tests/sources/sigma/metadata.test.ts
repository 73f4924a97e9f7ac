import { describe, expect, it } from 'vitest';
import { load, rule, withDetection } from './helpers.js';

const FULL = `title: Suspicious Whoami
id: 3c1f5b2a-8d4e-4f6a-9b7c-1d2e3f4a5b6c
related:
    - id: 11111111-2222-4333-8444-555555555555
      type: derived
status: test
description: Detects whoami run by a service account.
references:
    - https://example.org/whoami
author: Test Author
date: 2024-01-02
modified: 2024-03-04
tags:
    - attack.discovery
    - attack.t1033
    - attack.T1059.001
    - car.2016-03-001
logsource:
    product: windows
    category: process_creation
    definition: 'Requires process creation auditing'
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
fields:
    - CommandLine
falsepositives:
    - Admin scripts
level: medium
`;

describe('RuleDraft fields', () => {
  const r = rule(FULL);

  it('copies the metadata', () => {
    expect(r).toMatchObject({
      id: '3c1f5b2a-8d4e-4f6a-9b7c-1d2e3f4a5b6c',
      title: 'Suspicious Whoami',
      description: 'Detects whoami run by a service account.',
      vendor: 'sigma',
      path: 'rules/test.yml',
      status: 'test',
      deprecated: false,
      severity: 'medium',
      author: 'Test Author',
      date: '2024-01-02',
      modified: '2024-03-04',
      references: ['https://example.org/whoami'],
      falsePositives: ['Admin scripts'],
      tags: ['attack.discovery', 'attack.t1033', 'attack.T1059.001', 'car.2016-03-001'],
      type: 'detection',
      language: 'sigma',
      logsource: 'windows / process_creation',
      sections: [],
    });
  });

  it('turns attack.tNNNN tags into technique tags with their position', () => {
    expect(r.techniqueTags).toEqual([
      { id: 'T1033', line: 15, column: 7 },
      { id: 'T1059.001', line: 16, column: 7 },
    ]);
  });

  it('keeps the detection block as the query, with its first line', () => {
    expect(r.queryLine).toBe(22);
    expect(r.query).toBe("detection:\n    selection:\n        Image|endswith: '\\whoami.exe'\n    condition: selection");
  });

  it('fills meta with the log source as written, fields, related and level', () => {
    expect(r.meta).toEqual({
      logsource: { product: 'windows', category: 'process_creation', service: null, definition: 'Requires process creation auditing' },
      fields: ['CommandLine'],
      related: [{ id: '11111111-2222-4333-8444-555555555555', type: 'derived' }],
      sigmaLevel: 'medium',
    });
  });

  it('marks deprecated rules by status or by folder', () => {
    expect(rule(FULL.replace('status: test', 'status: deprecated')).deprecated).toBe(true);
    expect(rule(FULL, 'deprecated/windows/x.yml').deprecated).toBe(true);
  });

  it('derives a stable id when the id is missing, with a warning', () => {
    const text = FULL.replace('id: 3c1f5b2a-8d4e-4f6a-9b7c-1d2e3f4a5b6c\n', '');
    const a = load(text);
    const b = load(text);
    expect(a.rules[0]!.id).toMatch(/^sigma-derived-[0-9a-f]{16}$/);
    expect(a.rules[0]!.id).toBe(b.rules[0]!.id);
    expect(load(text, 'rules/other.yml').rules[0]!.id).not.toBe(a.rules[0]!.id);
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['sigma/missing-id', 'warning']]);
  });
});

describe('log sources -> catalog events and mapping tables', () => {
  it('the most specific matching entry wins (case-insensitive)', () => {
    const r = rule(withDetection("    selection:\n        Image: 'x'\n    condition: selection", '    product: Windows\n    category: PROCESS_CREATION'));
    expect(r.events).toEqual(['sysmon-1', 'security-auditing-4688']);
    expect(r.mappingTables).toEqual(['sigma-windows']);
  });

  it('a less specific entry matches when the product differs', () => {
    const r = rule(withDetection("    selection:\n        Image: 'x'\n    condition: selection", '    product: linux\n    category: process_creation'));
    expect(r.events).toEqual(['sysmon-1']);
    expect(r.mappingTables).toEqual(['sigma-generic']);
  });

  it('no match gives no events and the generic table', () => {
    const r = rule(withDetection("    selection:\n        x: 'y'\n    condition: selection", '    product: okta\n    service: okta'));
    expect(r).toMatchObject({ events: [], mappingTables: ['sigma-generic'], logsource: 'okta / okta' });
  });

  it('an entry without tables falls back to the generic table', () => {
    const r = rule(withDetection("    selection:\n        QueryName: 'x'\n    condition: selection", '    product: windows\n    category: dns_query'));
    expect(r).toMatchObject({ events: ['sysmon-22'], mappingTables: ['sigma-generic'] });
  });

  it('narrows a multi-event service to the positive EventIDs', () => {
    const sec = '    product: windows\n    service: security';
    const r = rule(withDetection("    selection:\n        EventID:\n            - 4625\n            - '4720'\n    filter:\n        EventID: 4624\n    condition: selection and not filter", sec));
    // 4720 is not in the entry but is a catalog event of the same provider
    expect(r.events).toEqual(['security-auditing-4625', 'security-auditing-4720']);
    const all = rule(withDetection("    selection:\n        TargetUserName: 'x'\n    condition: selection", sec));
    expect(all.events).toEqual(['security-auditing-4624', 'security-auditing-4625', 'security-auditing-4688']);
  });
});
