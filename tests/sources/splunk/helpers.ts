import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Catalog, EventEntry } from '../../../src/lib/catalog/load.js';
import type { MappingTable } from '../../../src/lib/catalog/schema.js';

/** Write `files` (relative path -> text) under a fresh temporary folder; returns its path. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'splunk-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return root;
}

function event(providerSlug: string, id: number, platform: EventEntry['platform'] = 'windows'): EventEntry {
  return {
    id,
    title: `${providerSlug} ${id}`,
    attackDataComponents: [],
    fields: [],
    key: `${providerSlug}-${id}`,
    provider: providerSlug,
    providerSlug,
    providerName: providerSlug,
    channel: providerSlug,
    platform,
  };
}

export const LOGSOURCES_YAML = `
channels:
  - {source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', provider: sysmon}
  - {source: 'XmlWinEventLog:Security', provider: security-auditing}
  - {source: 'Syslog:Linux-Sysmon/Operational', provider: sysmon-linux}
names:
  - {prefix: 'Windows Event Log Security ', provider: security-auditing}
dataSources:
  Odd Source: [sysmon-3]
datamodels:
  - dataset: Endpoint.Processes
    events: [sysmon-1, security-auditing-4688, sysmon-linux-1]
  - dataset: Network_Resolution
    events: [sysmon-22]
tables: [cim]
`;

/** A small catalog of our own (no dependency on catalog/events): a temp dir holding logsources/splunk.yaml. */
export function testCatalog(logsourcesYaml = LOGSOURCES_YAML): Catalog {
  const dir = writeTree({ 'logsources/splunk.yaml': logsourcesYaml });
  const events = new Map<string, EventEntry>();
  for (const e of [event('sysmon', 1), event('sysmon', 3), event('sysmon', 10), event('sysmon', 22), event('security-auditing', 4688), event('security-auditing', 4720), event('sysmon-linux', 1, 'linux')]) {
    events.set(e.key, e);
  }
  const cim: MappingTable = { id: 'cim', title: 'CIM', fallback: 'prefix:splunk.', caseInsensitive: false, fields: { 'Processes.process_name': 'process.name' } };
  return { dir, events, mappings: new Map([['cim', cim]]), sigmaLogsources: { mappings: [] } };
}

/** A security_content-shaped source tree: macros, data sources, a story, plus the given detections. */
export function sourceTree(detections: Record<string, string>): string {
  return writeTree({
    'macros/sysmon.yml': 'definition: source=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\nname: sysmon\n',
    'macros/summaries.yml': 'definition: summariesonly=false\nname: summaries\n',
    'macros/ctime.yml': "arguments:\n  - field\ndefinition: 'convert ctime($field$)'\nname: ctime\n",
    'macros/proc.yml': "arguments:\n  - exe\ndefinition: '(Processes.process_name=$exe$ OR Processes.original_file_name=$exe$)'\nname: proc\n",
    'data_sources/sysmon_eventid_1.yml': 'name: Sysmon EventID 1\nsource: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\nsourcetype: xmlwineventlog\nseparator: EventID\n',
    'data_sources/sysmon_eventid_10.yml': 'name: Sysmon EventID 10\nsource: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\nsourcetype: xmlwineventlog\nseparator: EventID\n',
    'data_sources/linux_1.yml': 'name: Sysmon for Linux EventID 1\nsource: Syslog:Linux-Sysmon/Operational\nsourcetype: sysmon:linux\nseparator: EventID\n',
    'data_sources/edr.yml': 'name: Some EDR Process\nsource: edr\nsourcetype: edr:process\n',
    'stories/shells.yml': 'name: Shell Abuse\nid: 11111111-2222-3333-4444-555555555555\ndescription: Shells doing odd things.\n',
    'lookups/bad_domains.yml': 'name: bad_domains\ndescription: Domains we distrust.\nfilename: bad_domains.csv\n',
    ...Object.fromEntries(Object.entries(detections).map(([k, v]) => [`detections/${k}`, v])),
  });
}
