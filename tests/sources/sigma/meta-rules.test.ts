import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { load } from './helpers.js';

const CORRELATION = `title: Many failed logons then a success
id: 5e0f4a57-7a2c-4d59-9b1e-0c6f3b1b2a01
status: experimental
correlation:
    type: temporal_ordered
    rules:
        - failed_logons
        - 7d1b2c3e-0000-4000-8000-000000000002
    group-by:
        - TargetUserName
    timespan: 10m
level: high
---
title: Many failed logons
id: 7d1b2c3e-0000-4000-8000-000000000001
name: failed_logons
correlation:
    type: event_count
    rules:
        - 7d1b2c3e-0000-4000-8000-000000000003
    group-by:
        - TargetUserName
    timespan: 5m
    condition:
        gte: 10
---
title: Failed logon
id: 7d1b2c3e-0000-4000-8000-000000000003
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
---
title: Successful logon
id: 7d1b2c3e-0000-4000-8000-000000000002
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4624
        LogonType: 3
    condition: selection
`;

describe('correlation rules', () => {
  const res = load(CORRELATION, 'rules/mr_test.yml');

  it('publishes every document, in file order, with its type', () => {
    expect(res.diagnostics).toEqual([]);
    expect(res.rules.map((r) => [r.type, r.title])).toEqual([
      ['correlation', 'Many failed logons then a success'],
      ['correlation', 'Many failed logons'],
      ['detection', 'Failed logon'],
      ['detection', 'Successful logon'],
    ]);
  });

  it('keeps the correlation definition in meta and no parts', () => {
    const top = res.rules[0]!;
    expect(top.parts).toEqual([]);
    expect(top.language).toBe('sigma');
    expect(top.query!.split('\n')[0]).toBe('correlation:');
    expect(top.meta.correlation).toEqual({
      type: 'temporal_ordered',
      rules: [
        { ref: 'failed_logons', id: '7d1b2c3e-0000-4000-8000-000000000001', title: 'Many failed logons' },
        { ref: '7d1b2c3e-0000-4000-8000-000000000002', id: '7d1b2c3e-0000-4000-8000-000000000002', title: 'Successful logon' },
      ],
      groupBy: ['TargetUserName'],
      timespan: '10m',
    });
    expect(res.rules[1]!.meta.correlation).toMatchObject({ type: 'event_count', condition: { gte: 10 } });
  });

  it('takes the events of the referenced rules found in the file', () => {
    expect(res.rules[1]!.events).toEqual(['security-auditing-4625']);
    // the top correlation chains through failed_logons: both referenced detections count
    expect(res.rules[0]!.events).toEqual(['security-auditing-4625', 'security-auditing-4624']);
  });

  it('warns about an unknown type and a missing timespan but still lists the rule', () => {
    const r = load('title: x\nid: 5e0f4a57-7a2c-4d59-9b1e-0c6f3b1b2a09\ncorrelation:\n    type: value_median\n    rules:\n        - a\n');
    expect(r.rules).toHaveLength(1);
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['sigma/correlation-type@4:11', 'sigma/correlation-timespan@4:5']);
  });
});

const FILTER = `title: Admin accounts in the lab
id: 2b8f6a1e-9c3d-4e5f-8a7b-6c5d4e3f2a1b
description: Our administrators start with adm_
logsource:
    product: windows
    category: process_creation
filter:
    rules:
        - 0b5a1e49-3d0e-4a8b-9b0e-2f1c6a7d9e01
    selection:
        User|startswith: 'adm_'
    condition: selection
`;

describe('filter rules', () => {
  const res = load(FILTER, 'filters/mf_admins.yml');

  it('publishes the filter with its predicates as exclusions to apply', () => {
    const r = res.rules[0]!;
    expect(res.diagnostics).toEqual([]);
    expect(r.type).toBe('filter');
    expect(r.meta.filter).toEqual({ rules: ['0b5a1e49-3d0e-4a8b-9b0e-2f1c6a7d9e01'] });
    expect(r.parts[0]!.label).toBe('filter');
    expect(partsToSexpr(r.parts)).toBe('(not (wildcard User "adm_*"))');
    expect(polarPredicates(r.parts[0]!.logic).every((p) => p.exclusion)).toBe(true);
    expect(r.events).toEqual(['sysmon-1', 'security-auditing-4688']);
  });
});
