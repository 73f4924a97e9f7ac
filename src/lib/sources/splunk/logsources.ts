import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CatalogError, readCatalogYaml, type Catalog } from '../../catalog/load.js';
import { slugSchema } from '../../catalog/schema.js';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';

const eventKeySchema = z.string().regex(/^[a-z0-9-]+-\d+$/, 'event key `<provider slug>-<event id>`');

/**
 * catalog/logsources/splunk.yaml: how a security_content rule's data sources and CIM data sets
 * name catalog events.
 */
export const splunkLogsourceFileSchema = z
  .object({
    /**
     * A data source's Splunk `source` (the Windows channel it reads) -> catalog provider. With the
     * event ID its name ends with (`Sysmon EventID 1`, `Windows Event Log Security 4688`) this gives
     * the event key (`sysmon-1`, `security-auditing-4688`). Matched case-insensitively.
     */
    channels: z.array(z.object({ source: z.string().min(1), provider: slugSchema }).strict()).min(1),
    /**
     * Name prefix -> provider, for data sources that no data_sources/*.yml defines
     * (`Windows Event Log Security 4728` -> security-auditing-4728). Matched case-insensitively,
     * longest prefix first; the name must end with the event ID(s).
     */
    names: z.array(z.object({ prefix: z.string().min(1), provider: slugSchema }).strict()).default([]),
    /** Data source name -> events, for data sources that the rules above cannot resolve. */
    dataSources: z.record(z.string().min(1), z.array(eventKeySchema)).default({}),
    /**
     * CIM data sets a tstats/datamodel search reads (`Endpoint.Processes`, or a whole model such as
     * `Network_Resolution`) -> the catalog events that feed them.
     */
    datamodels: z
      .array(
        z
          .object({
            dataset: z.string().min(1),
            events: z.array(eventKeySchema).min(1),
            note: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Mapping tables every Splunk rule is normalized with, most specific first. */
    tables: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type SplunkLogsourceFile = z.infer<typeof splunkLogsourceFileSchema>;

/** The table compiled for lookups. */
export interface SplunkLogsources {
  /** lower-case Splunk source -> provider slug */
  channels: Map<string, string>;
  /** lower-case name prefixes with their provider, longest first */
  names: Array<{ prefix: string; provider: string }>;
  /** lower-case data source name -> events */
  dataSources: Map<string, string[]>;
  /** lower-case dataset (`endpoint.processes`, `network_resolution`) -> events */
  datamodels: Map<string, string[]>;
  tables: string[];
}

const DISPLAY = 'catalog/logsources/splunk.yaml';

/**
 * Load and check our Splunk log source table. It is our own data: a schema error, an unknown
 * event, provider or mapping table throws a CatalogError and stops the build.
 */
export function loadSplunkLogsources(catalog: Catalog): SplunkLogsources {
  const diagnostics: Diagnostic[] = [];
  const path = join(catalog.dir, 'logsources', 'splunk.yaml');
  const file = readCatalogYaml(path, DISPLAY, splunkLogsourceFileSchema, diagnostics);
  if (!file) throw new CatalogError(diagnostics);
  let text: string | null = null;
  const problem = (message: string, hint: string, needle: string): void => {
    text ??= readFileSync(path, 'utf8');
    const idx = text.indexOf(needle);
    const line = idx < 0 ? 1 : text.slice(0, idx).split('\n').length;
    diagnostics.push({ ...diagnosticAt('catalog/splunk-logsources', message, hint, { line, column: 1 }), file: DISPLAY });
  };
  const providers = new Set<string>();
  for (const e of catalog.events.values()) providers.add(e.providerSlug);
  const checkEvents = (events: string[], where: string): void => {
    for (const key of events) {
      if (!catalog.events.has(key)) problem(`${where} names unknown event ${key}`, 'add the event to catalog/events or fix the key', key);
    }
  };
  [...file.channels, ...file.names].forEach((c) => {
    if (!providers.has(c.provider)) problem(`unknown provider ${c.provider}`, 'use the slug of a catalog/events provider', c.provider);
  });
  for (const [name, events] of Object.entries(file.dataSources)) checkEvents(events, `dataSources["${name}"]`);
  file.datamodels.forEach((d, i) => checkEvents(d.events, `datamodels[${i}] (${d.dataset})`));
  for (const t of file.tables) {
    if (!catalog.mappings.has(t)) problem(`tables names unknown mapping table ${t}`, 'add catalog/mappings/<id>.yaml or fix the id', t);
  }
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  return {
    channels: new Map(file.channels.map((c) => [c.source.toLowerCase(), c.provider])),
    names: file.names.map((n) => ({ prefix: n.prefix.toLowerCase(), provider: n.provider })).sort((a, b) => b.prefix.length - a.prefix.length),
    dataSources: new Map(Object.entries(file.dataSources).map(([k, v]) => [k.toLowerCase(), v])),
    datamodels: new Map(file.datamodels.map((d) => [d.dataset.toLowerCase(), d.events])),
    tables: file.tables,
  };
}
