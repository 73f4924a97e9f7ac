import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/lib/catalog/load.js';
import { matchSigmaLogsource, resolveField } from './logsource-match.js';

let catalog: Catalog;
beforeAll(() => {
  catalog = loadCatalog(path.resolve('catalog'));
});

/** Event keys other modules code against: they must not disappear. */
const REQUIRED: Record<string, number[]> = {
  sysmon: Array.from({ length: 29 }, (_, i) => i + 1),
  'security-auditing': [
    4624, 4625, 4634, 4648, 4656, 4657, 4660, 4661, 4662, 4663, 4672, 4673, 4688, 4697, 4698, 4699, 4700, 4701, 4702, 4719, 4720,
    4722, 4724, 4725, 4726, 4728, 4732, 4738, 4740, 4742, 4756, 4768, 4769, 4771, 4776, 4781, 4794, 4798, 4799, 5136, 5140, 5145,
    5156, 1102,
  ],
  powershell: [4103, 4104],
  'powershell-classic': [400, 403, 600, 800],
  system: [7045, 7036, 7040, 104, 16],
  'windows-defender': [1116, 1117, 5001, 5007],
  taskscheduler: [106, 129, 140, 141],
  'wmi-activity': [5861],
  'bits-client': [3, 16403],
  codeintegrity: [3033, 3077],
  applocker: [8004, 8007],
  'dns-client': [3008],
  'windows-firewall': [2004, 2006],
  'terminalservices-localsessionmanager': [21],
  'sysmon-linux': [1, 3, 11, 23],
  auditd: [1300, 1302, 1309],
};

/**
 * Event fields whose canonical name deliberately differs from what their log source's tables give,
 * because the name means something else in that one event. Anything else that differs is a bug.
 */
const GROUP_EVENTS = [4727, 4728, 4729, 4730, 4731, 4732, 4733, 4734, 4735, 4737, 4744, 4749, 4754, 4755, 4756, 4759, 4764, 4799];
const CONTEXT_OVERRIDES = new Set<string>([
  'security-auditing-4688:ProcessId', // the creator process in 4688
  ...GROUP_EVENTS.flatMap((id) => ['TargetUserName', 'TargetDomainName', 'TargetSid'].map((f) => `security-auditing-${id}:${f}`)),
  'security-auditing-5038:param1', // positional: the file path
  'security-auditing-6281:param1',
  'terminalservices-remoteconnectionmanager-1149:Param1', // positional: user, domain, address
  'terminalservices-remoteconnectionmanager-1149:Param2',
  'terminalservices-remoteconnectionmanager-1149:Param3',
  'auditd-1330:name', // a module name, not a path
]);

function field(key: string, name: string) {
  const ev = catalog.events.get(key);
  expect(ev, key).toBeDefined();
  const f = ev!.fields.find((x) => x.name === name);
  expect(f, `${key} has field ${name}`).toBeDefined();
  return f!;
}

describe('catalog/events', () => {
  it('loads without diagnostics', () => {
    expect(catalog.events.size).toBeGreaterThan(300);
    expect(catalog.mappings.size).toBeGreaterThan(10);
  });

  it('has every required event key', () => {
    const missing = Object.entries(REQUIRED).flatMap(([slug, ids]) => ids.map((id) => `${slug}-${id}`)).filter((k) => !catalog.events.has(k));
    expect(missing).toEqual([]);
  });

  it('models Sysmon 1..29 with fields, on the Sysmon channel', () => {
    for (let id = 1; id <= 29; id++) {
      const ev = catalog.events.get(`sysmon-${id}`)!;
      expect(ev.fields.length, `sysmon-${id}`).toBeGreaterThan(0);
      expect(ev.channel).toBe('Microsoft-Windows-Sysmon/Operational');
      expect(ev.providerName).toBe('Microsoft-Windows-Sysmon');
    }
  });

  it('gives Sysmon 1 and Security 4688 their process fields', () => {
    const s1 = catalog.events.get('sysmon-1')!.fields.map((f) => f.name);
    expect(s1).toEqual(
      expect.arrayContaining(['Image', 'OriginalFileName', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'User', 'IntegrityLevel', 'Hashes', 'CurrentDirectory', 'ProcessGuid', 'ParentProcessGuid', 'LogonId']),
    );
    const s4688 = catalog.events.get('security-auditing-4688')!.fields.map((f) => f.name);
    expect(s4688).toEqual(expect.arrayContaining(['NewProcessName', 'CommandLine', 'ParentProcessName', 'SubjectUserName', 'TokenElevationType', 'MandatoryLabel', 'NewProcessId']));
    expect(field('security-auditing-4688', 'NewProcessName').canonical).toBe('process.executable');
    expect(field('security-auditing-4688', 'ParentProcessName').canonical).toBe('process.parent.executable');
    expect(field('security-auditing-4688', 'ProcessId').canonical).toBe('process.parent.pid');
  });

  it('names fields by their meaning in context', () => {
    expect(field('sysmon-1', 'Image').canonical).toBe('process.executable');
    expect(field('sysmon-7', 'Image').canonical).toBe('process.executable');
    expect(field('sysmon-7', 'ImageLoaded').canonical).toBe('dll.path');
    expect(field('sysmon-7', 'Hashes').canonical).toBe('dll.hash');
    expect(field('sysmon-7', 'OriginalFileName').canonical).toBe('dll.pe.original_file_name');
    expect(field('sysmon-1', 'Hashes').canonical).toBe('process.hash');
    expect(field('sysmon-23', 'Hashes').canonical).toBe('file.hash');
    expect(field('sysmon-10', 'SourceImage').canonical).toBe('process.executable');
    expect(field('sysmon-10', 'TargetImage').canonical).toBe('process.target.executable');
    expect(field('sysmon-8', 'TargetImage').canonical).toBe('process.target.executable');
    expect(field('sysmon-11', 'TargetFilename').canonical).toBe('file.path');
    expect(field('sysmon-13', 'TargetObject').canonical).toBe('registry.path');
    expect(field('sysmon-13', 'Details').canonical).toBe('registry.data.strings');
    expect(field('sysmon-22', 'QueryName').canonical).toBe('dns.question.name');
    expect(field('sysmon-3', 'DestinationHostname').canonical).toBe('destination.domain');
    expect(field('powershell-4104', 'ScriptBlockText').canonical).toBe('powershell.file.script_block_text');
    expect(field('security-auditing-4624', 'TargetUserName').canonical).toBe('user.target.name');
    expect(field('security-auditing-4624', 'SubjectUserName').canonical).toBe('user.name');
    expect(field('security-auditing-4732', 'TargetUserName').canonical).toBe('group.name');
    expect(field('system-7045', 'ServiceName').canonical).toBe('service.name');
  });

  it('has no duplicate field names within an event', () => {
    for (const [key, ev] of catalog.events) {
      const names = ev.fields.map((f) => f.name);
      expect(new Set(names).size, key).toBe(names.length);
    }
  });
});

describe('catalog/mappings', () => {
  it('never maps one name two ways in a case-insensitive table', () => {
    for (const t of catalog.mappings.values()) {
      if (!t.caseInsensitive) continue;
      const seen = new Map<string, string>();
      for (const [k, v] of Object.entries(t.fields)) {
        const prev = seen.get(k.toLowerCase());
        expect(prev === undefined || prev === v, `${t.id}: ${k}`).toBe(true);
        seen.set(k.toLowerCase(), v);
      }
    }
  });

  it('uses dotted canonical names without spaces', () => {
    for (const t of catalog.mappings.values()) {
      for (const [k, v] of Object.entries(t.fields)) expect(v, `${t.id}: ${k}`).toMatch(/^@?[A-Za-z_][A-Za-z0-9_.-]*$/);
    }
    for (const [key, ev] of catalog.events) for (const f of ev.fields) expect(f.canonical, `${key}: ${f.name}`).toMatch(/^@?[A-Za-z_][A-Za-z0-9_.-]*$/);
  });

  it('resolves the Windows system fields the same way for every Windows log source', () => {
    for (const m of catalog.sigmaLogsources.mappings) {
      if (m.logsource.product !== 'windows') continue;
      expect(resolveField(catalog, 'EventID', m.tables).canonical).toBe('event.code');
      expect(resolveField(catalog, 'Provider_Name', m.tables).canonical).toBe('event.provider');
    }
    const win = matchSigmaLogsource(catalog.sigmaLogsources, { product: 'windows', category: 'process_creation' })!;
    expect(resolveField(catalog, 'Channel', win.tables).canonical).toBe('winlog.channel');
    expect(resolveField(catalog, 'SomethingNew', win.tables)).toEqual({ canonical: 'winlog.event_data.SomethingNew', explicit: false });
  });
});

describe('catalog/logsources/sigma.yaml', () => {
  it('names only existing events and tables, and at least one table per entry', () => {
    for (const m of catalog.sigmaLogsources.mappings) {
      expect(m.tables.length, JSON.stringify(m.logsource)).toBeGreaterThan(0);
      for (const k of m.events) expect(catalog.events.has(k), k).toBe(true);
      for (const t of m.tables) expect(catalog.mappings.has(t), t).toBe(true);
    }
  });

  it('has one entry per selector', () => {
    const sel = catalog.sigmaLogsources.mappings.map((m) => JSON.stringify([m.logsource.product, m.logsource.category, m.logsource.service].map((x) => x?.toLowerCase())));
    expect(sel.length - new Set(sel).size).toBe(0);
  });

  it('maps the main Windows categories to their events', () => {
    const expected: Record<string, string[]> = {
      process_creation: ['sysmon-1', 'security-auditing-4688'],
      network_connection: ['sysmon-3'],
      dns_query: ['sysmon-22'],
      file_event: ['sysmon-11'],
      registry_set: ['sysmon-13'],
      registry_add: ['sysmon-12'],
      registry_delete: ['sysmon-12'],
      registry_event: ['sysmon-12', 'sysmon-13', 'sysmon-14'],
      image_load: ['sysmon-7'],
      driver_load: ['sysmon-6'],
      pipe_created: ['sysmon-17', 'sysmon-18'],
      create_remote_thread: ['sysmon-8'],
      process_access: ['sysmon-10'],
      wmi_event: ['sysmon-19', 'sysmon-20', 'sysmon-21'],
      ps_script: ['powershell-4104'],
      ps_module: ['powershell-4103'],
      ps_classic_start: ['powershell-classic-400'],
    };
    for (const [category, keys] of Object.entries(expected)) {
      const m = matchSigmaLogsource(catalog.sigmaLogsources, { product: 'Windows', category });
      expect(m?.logsource.category, category).toBe(category);
      expect(m!.events).toEqual(expect.arrayContaining(keys));
    }
  });

  it('lists the whole provider for service entries whose EventID pins the event', () => {
    const whole: Record<string, string[]> = {
      security: ['security-auditing'],
      system: ['system', 'kdc', 'windows-update-client'],
      sysmon: ['sysmon'],
      powershell: ['powershell'],
      windefend: ['windows-defender'],
      taskscheduler: ['taskscheduler'],
      wmi: ['wmi-activity'],
    };
    for (const [service, slugs] of Object.entries(whole)) {
      const m = matchSigmaLogsource(catalog.sigmaLogsources, { product: 'windows', service })!;
      const want = [...catalog.events.values()].filter((e) => slugs.includes(e.providerSlug)).map((e) => e.key).sort();
      expect([...m.events].sort(), service).toEqual(want);
    }
  });

  it('prefers the most specific entry and falls back to product defaults', () => {
    const f = catalog.sigmaLogsources;
    expect(matchSigmaLogsource(f, { product: 'windows', category: 'image_load' })!.tables[0]).toBe('sigma-windows-image-load');
    expect(matchSigmaLogsource(f, { product: 'windows', category: 'no_such_category' })!.logsource).toEqual({ product: 'windows' });
    expect(matchSigmaLogsource(f, { product: 'linux', category: 'process_creation' })!.events).toContain('sysmon-linux-1');
    expect(matchSigmaLogsource(f, { product: 'linux', service: 'auditd' })!.tables[0]).toBe('sigma-linux');
    expect(matchSigmaLogsource(f, { category: 'proxy' })!.tables).toEqual(['sigma-generic']);
    expect(matchSigmaLogsource(f, { product: 'aws', service: 'cloudtrail' })!.tables[0]).toBe('sigma-aws');
  });

  it('agrees with each event: its fields resolve through its log source tables to its canonical names', () => {
    // The home of an event: a category entry of its provider alone, else any entry of its provider alone, else any.
    const provider = (k: string) => catalog.events.get(k)!.providerSlug;
    const home = new Map<string, string[]>();
    const entries = catalog.sigmaLogsources.mappings;
    const single = (events: string[]) => new Set(events.map(provider)).size === 1;
    for (const pass of [0, 1, 2]) {
      for (const m of entries) {
        if (pass === 0 && !(m.logsource.category && single(m.events))) continue;
        if (pass === 1 && !single(m.events)) continue;
        for (const k of m.events) if (!home.has(k)) home.set(k, m.tables);
      }
    }
    const mismatches: string[] = [];
    for (const [key, ev] of catalog.events) {
      const tables = home.get(key);
      if (!tables) continue;
      for (const f of ev.fields) {
        const r = resolveField(catalog, f.name, tables);
        if (r.canonical !== f.canonical && !CONTEXT_OVERRIDES.has(`${key}:${f.name}`)) mismatches.push(`${key}:${f.name} event=${f.canonical} tables=${r.canonical}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
