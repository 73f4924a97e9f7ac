import type { Operator, PolarPredicate, RegexDialect, Scalar } from '../model/logic.js';
import type { FieldMapper, FieldMapping } from './field-mapper.js';
import { foldValue, normalizeValue } from './value.js';

/**
 * A predicate after normalization: the raw field as written, its canonical field with provenance,
 * and a grouping key `(canonical, operator, folded value, transforms)`.
 */
export interface Predicate {
  /** Field as the vendor wrote it; null for keyword / bare-term search. */
  field: string | null;
  /** Canonical field; null for keyword search; for derived fields, the raw name. */
  canonical: string | null;
  operator: Operator;
  /** Canonical value (wildcard globs in our notation), as written apart from that. */
  value: Scalar;
  /** The value exactly as written in the rule when it differs from `value`. */
  raw?: string;
  exclusion: boolean;
  /** Sequence step (1-based) for multi-step rules. */
  step?: number;
  derived?: boolean;
  caseSensitive?: boolean;
  dialect?: RegexDialect;
  flags?: string;
  transforms?: string[];
  /** How the field was mapped; absent for keyword search and derived fields. */
  mapping?: Omit<FieldMapping, 'canonical'>;
  /** Grouping key: rules sharing it share an indicator row. */
  key: string;
}

/**
 * Fields that pick the event rather than describe the behaviour (event IDs, channels, indices).
 * They stay in the rule's predicates but are left out of "fields filtered most" and indicators.
 */
export const SELECTOR_FIELDS: ReadonlySet<string> = new Set([
  'event.code',
  'event.category',
  'event.type',
  'event.action',
  'event.dataset',
  'event.module',
  'event.provider',
  'winlog.channel',
  'winlog.event_id',
  'winlog.provider_name',
  'data_stream.dataset',
  'host.os.type',
  'host.os.family',
  'host.os.platform',
  'os.type',
  'agent.type',
  'index',
  'splunk.index',
  'splunk.sourcetype',
  'splunk.source',
  'sourcetype',
  'source',
  '_index',
]);

/** Build the grouping key of a normalized predicate. */
export function predicateKey(canonical: string | null, operator: Operator, value: Scalar, transforms?: readonly string[]): string {
  const t = transforms && transforms.length > 0 ? '|' + transforms.join('|') : '';
  return `${canonical ?? '_'}\u0000${operator}\u0000${foldValue(value)}${t}`;
}

/** Normalize one predicate with the rule's mapping tables. */
export function normalizePredicate(pp: PolarPredicate, mapper: FieldMapper, tables: readonly string[]): Predicate {
  const p = pp.pred;
  let canonical: string | null = null;
  let mapping: Predicate['mapping'];
  if (p.field !== null) {
    if (p.derived) {
      canonical = p.field;
    } else {
      const m = mapper.map(p.field, tables);
      canonical = m.canonical;
      mapping = { table: m.table, via: m.via };
    }
  }
  const nv = p.derived ? { canonical, operator: p.operator, value: p.value } : normalizeValue(canonical, p.operator, p.value);
  const out: Predicate = {
    field: p.field,
    canonical: nv.canonical,
    operator: nv.operator,
    value: nv.value,
    exclusion: pp.exclusion,
    key: predicateKey(nv.canonical, nv.operator, nv.value, p.transforms),
  };
  if (p.raw !== undefined && p.raw !== nv.value) out.raw = p.raw;
  if (pp.step !== undefined) out.step = pp.step;
  if (p.derived) out.derived = true;
  if (p.caseSensitive) out.caseSensitive = true;
  if (p.dialect) out.dialect = p.dialect;
  if (p.flags) out.flags = p.flags;
  if (p.transforms && p.transforms.length > 0) out.transforms = [...p.transforms];
  if (mapping) out.mapping = mapping;
  return out;
}

/** True when the predicate describes behaviour (not an event selector, not derived, not a presence test). */
export function isIndicator(p: Predicate): boolean {
  return p.canonical !== null && !p.derived && p.operator !== 'exists' && !SELECTOR_FIELDS.has(p.canonical);
}

/** True when the predicate counts toward "fields filtered most". */
export function isBehaviourField(p: Predicate): boolean {
  return p.canonical !== null && !p.derived && !SELECTOR_FIELDS.has(p.canonical);
}
