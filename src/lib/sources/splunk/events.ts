import type { Catalog } from '../../catalog/load.js';
import { polarPredicates, type QueryPart } from '../../model/logic.js';
import type { SplunkPrepared } from './prepare.js';

/** One data source a rule names, resolved through data_sources/*.yml and our table. */
export interface ResolvedDataSource {
  name: string;
  /** A data_sources/*.yml file defines it. */
  defined: boolean;
  source?: string;
  sourcetype?: string;
  /** Catalog event keys it resolves to. */
  events: string[];
  /** Event keys it names that the catalog does not have (reported, not used). */
  missing: string[];
}

/**
 * A rule's `data_source`: a list, sometimes one string joining several with " AND "
 * (`Sysmon EventID 1 AND Sysmon EventID 11`). Returns the names, trimmed, unique.
 */
export function splitDataSources(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  // A Set, not out.includes: a hostile file may list thousands of names (quadratic otherwise).
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'string') continue;
    for (const part of item.split(' AND ')) {
      const name = part.trim();
      if (name) seen.add(name);
    }
  }
  return [...seen];
}

/** Event IDs a data source name ends with: `… 4688` -> [4688], `NTLM Operational 8004,8005` -> [8004, 8005]. */
export function trailingEventIds(name: string): number[] {
  let i = name.length;
  while (i > 0 && /[0-9,]/.test(name[i - 1]!)) i--;
  if (i === name.length || (i > 0 && name[i - 1] !== ' ')) return [];
  return name
    .slice(i)
    .split(',')
    .filter(Boolean)
    .map(Number);
}

/**
 * Resolve one data source name: our table's explicit entry first, else its definition's `source`
 * (a Windows channel our table maps to a provider) plus the event ID its name ends with, else (no
 * definition) a name prefix our table knows.
 */
export function resolveDataSource(name: string, prepared: SplunkPrepared, catalog: Catalog): ResolvedDataSource {
  const key = name.toLowerCase();
  const def = prepared.dataSources.get(key);
  const res: ResolvedDataSource = { name, defined: !!def, events: [], missing: [] };
  if (def?.source) res.source = def.source;
  if (def?.sourcetype) res.sourcetype = def.sourcetype;
  const explicit = prepared.logsources.dataSources.get(key);
  let keys: string[] = [];
  if (explicit) keys = explicit;
  else {
    let provider = def?.source ? prepared.logsources.channels.get(def.source.toLowerCase()) : undefined;
    if (!provider && !def) provider = prepared.logsources.names.find((n) => key.startsWith(n.prefix))?.provider;
    if (provider) keys = trailingEventIds(name).map((id) => `${provider}-${id}`);
  }
  for (const k of keys) (catalog.events.has(k) ? res.events : res.missing).push(k);
  return res;
}

/**
 * Events feeding the CIM data sets a search reads (`Endpoint.Processes`, else the whole model).
 * When the rule's data sources already resolved to events, only feeding events of the same
 * platforms are added (a Windows rule over Processes gains 4688, not Sysmon for Linux).
 */
export function datamodelEvents(datasets: readonly string[], prepared: SplunkPrepared, catalog: Catalog, known: readonly string[]): string[] {
  const platforms = new Set(known.map((k) => catalog.events.get(k)?.platform).filter(Boolean));
  const out: string[] = [];
  for (const ds of datasets) {
    const lower = ds.toLowerCase();
    const events = prepared.logsources.datamodels.get(lower) ?? prepared.logsources.datamodels.get(lower.split('.')[0]!) ?? [];
    for (const e of events) {
      if (platforms.size && !platforms.has(catalog.events.get(e)?.platform)) continue;
      if (!out.includes(e)) out.push(e);
    }
  }
  return out;
}

/**
 * Last resort for a rule that names no data source and reads no data model: the channels its
 * search selects (`source=`/`sourcetype=` a channel we know) crossed with its `EventCode` values.
 */
export function eventsFromPredicates(parts: readonly QueryPart[], prepared: SplunkPrepared, catalog: Catalog): string[] {
  const providers = new Set<string>();
  const codes = new Set<number>();
  for (const part of parts) {
    for (const { pred, exclusion } of polarPredicates(part.logic)) {
      if (exclusion || pred.derived || pred.operator !== 'eq' || pred.field === null) continue;
      const field = pred.field.toLowerCase();
      if (field === 'source' || field === 'sourcetype' || field === 'channel') {
        const p = prepared.logsources.channels.get(String(pred.value).toLowerCase());
        if (p) providers.add(p);
      } else if ((field === 'eventcode' || field === 'eventid') && typeof pred.value === 'number') codes.add(pred.value);
    }
  }
  const out: string[] = [];
  for (const p of providers) for (const c of codes) if (catalog.events.has(`${p}-${c}`)) out.push(`${p}-${c}`);
  return out;
}
