import type { Catalog } from '../../catalog/load.js';
import type { SigmaLogsourceFile } from '../../catalog/schema.js';
import { polarPredicates, type Logic } from '../../model/logic.js';

/** A rule's `logsource:` as written (other custom keys are ignored). */
export interface RuleLogsource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

/** Mapping tables used when the catalog has no entry for a rule's log source. */
export const GENERIC_TABLES: readonly string[] = ['sigma-generic'];

/** The rule's `logsource:` keys we use; non-string values and custom keys are dropped. */
export function readLogsource(value: unknown): RuleLogsource {
  const out: RuleLogsource = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  const v = value as Record<string, unknown>;
  for (const k of ['product', 'category', 'service', 'definition'] as const) {
    const x = v[k];
    if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  }
  return out;
}

/** `windows / process_creation`, `windows / security`, `linux / auditd`: product, category, service. */
export function logsourceLabel(ls: RuleLogsource): string {
  const parts = [ls.product, ls.category, ls.service].filter((x): x is string => !!x);
  return parts.length ? parts.join(' / ') : 'unspecified';
}

type Entry = SigmaLogsourceFile['mappings'][number];

/**
 * The catalog entry for a rule's log source: an entry matches when every key it names equals the
 * rule's value (case-insensitively); the entry naming the most keys wins, the first on a tie.
 */
export function findLogsourceEntry(mappings: readonly Entry[], ls: RuleLogsource): Entry | null {
  let best: Entry | null = null;
  let bestScore = -1;
  for (const m of mappings) {
    let score = 0;
    let ok = true;
    for (const k of ['product', 'category', 'service'] as const) {
      const want = m.logsource[k];
      if (want === undefined) continue;
      const have = ls[k];
      if (have === undefined || have.toLowerCase() !== want.toLowerCase()) {
        ok = false;
        break;
      }
      score++;
    }
    if (ok && score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/** Event IDs the rule requires in the positive polarity (`EventID: 4624`, `EventID: ['4624']`). */
export function positiveEventIds(logic: Logic | null): number[] {
  if (!logic) return [];
  const ids = new Set<number>();
  for (const { pred, exclusion } of polarPredicates(logic)) {
    if (exclusion || pred.operator !== 'eq' || pred.field === null || !/^(?:EventID|EventCode)$/i.test(pred.field)) continue;
    const n = typeof pred.value === 'number' ? pred.value : typeof pred.value === 'string' && /^\d+$/.test(pred.value) ? Number(pred.value) : NaN;
    if (Number.isInteger(n)) ids.add(n);
  }
  return [...ids];
}

/** Entry lookup memoised per distinct (product, category, service): a corpus has a few hundred. */
export type LogsourceLookup = (ls: RuleLogsource) => Entry | null;

export function createLogsourceLookup(catalog: Catalog): LogsourceLookup {
  const cache = new Map<string, Entry | null>();
  const mappings = catalog.sigmaLogsources.mappings;
  return (ls) => {
    const key = `${ls.product ?? ''}\u0000${ls.category ?? ''}\u0000${ls.service ?? ''}`.toLowerCase();
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = findLogsourceEntry(mappings, ls);
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * Catalog events and mapping tables of a rule. A multi-event source (`service: security`) with
 * positive `EventID` predicates narrows to those IDs, looked up among the entry's events and then
 * among the same providers' other catalog events; IDs the catalog does not know give no event.
 */
export function resolveEvents(
  catalog: Catalog,
  ls: RuleLogsource,
  logic: Logic | null,
  lookup: LogsourceLookup = (x) => findLogsourceEntry(catalog.sigmaLogsources.mappings, x),
): { events: string[]; tables: string[]; matched: boolean } {
  const entry = lookup(ls);
  if (!entry) return { events: [], tables: [...GENERIC_TABLES], matched: false };
  const tables = entry.tables.length ? [...entry.tables] : [...GENERIC_TABLES];
  const events = [...entry.events];
  if (events.length <= 1) return { events, tables, matched: true };
  const ids = positiveEventIds(logic);
  if (ids.length === 0) return { events, tables, matched: true };
  const narrowed: string[] = [];
  const providers = new Set<string>();
  for (const key of events) {
    const ev = catalog.events.get(key);
    if (ev) providers.add(ev.providerSlug);
    const id = ev ? ev.id : Number(key.slice(key.lastIndexOf('-') + 1));
    if (ids.includes(id)) narrowed.push(key);
  }
  for (const id of ids) {
    if (narrowed.some((k) => (catalog.events.get(k)?.id ?? NaN) === id)) continue;
    for (const slug of providers) {
      const key = `${slug}-${id}`;
      if (catalog.events.has(key) && !narrowed.includes(key)) narrowed.push(key);
    }
  }
  return { events: narrowed, tables, matched: true };
}
