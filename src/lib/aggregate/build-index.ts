import type { Technique } from '../attack/types.js';
import type { Catalog, EventEntry } from '../catalog/load.js';
import type { SourceConfig } from '../catalog/schema.js';
import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileTrace } from '../pipeline/collect.js';
import { compareDiagnostics } from '../diagnostics/format.js';
import { polarPredicates } from '../model/logic.js';
import type { RuleDraft } from '../model/rule.js';
import type { FieldMapper } from '../normalize/field-mapper.js';
import { normalizePredicate, type Predicate } from '../normalize/predicate.js';
import { safeSegment, upstreamFileUrl } from '../site/urls.js';
import { catalogFieldRows, catalogFieldValues, corpusStats, fieldRows, indicatorTop, ruleIndicators, type CorpusStats } from './scope.js';
import type { EventRecord, EventRef, RuleRecord, RuleRef, SiteIndex, SourceReport, TacticRecord, TechniqueRecord, TechniqueResolution } from './types.js';

/** The fields of an ATT&CK technique the aggregates need (the cache keeps exactly these). */
export const ATTACK_TECHNIQUE_VIEW_KEYS = [
  'id',
  'name',
  'description',
  'url',
  'tactics',
  'platforms',
  'isSubtechnique',
  'parentId',
  'subtechniques',
  'revoked',
  'revokedBy',
  'deprecated',
  'references',
] as const satisfies readonly (keyof Technique)[];

/** The slice of an ATT&CK technique the aggregates need. */
export type AttackTechniqueView = Pick<Technique, (typeof ATTACK_TECHNIQUE_VIEW_KEYS)[number]>;

export interface AttackView {
  version: string;
  tactics: { id: string; shortname: string; name: string }[];
  techniques: Map<string, AttackTechniqueView>;
  resolve(tag: string): { id: string; via: 'bundle' | 'revoked' | 'crosswalk' } | null;
}

/** A loaded source: its config, report counts so far and the drafts its adapter made. */
export interface LoadedSource {
  config: SourceConfig;
  report: SourceReport;
  drafts: RuleDraft[];
  /** With `CollectOptions.trace`: what the adapter's prepare reported, and every file read. */
  prepDiagnostics?: Diagnostic[];
  trace?: FileTrace[];
}

export interface IndexInput {
  buildDate: string;
  attack: AttackView;
  catalog: Catalog;
  mapper: FieldMapper;
  sources: LoadedSource[];
  /** How many indicator/exclusion rows a technique or event keeps (the JSON keeps the same). */
  maxRows?: number;
}

/** Turn every source's drafts into rule records, then compute all aggregates in linear passes. */
export function buildSiteIndex(input: IndexInput): SiteIndex {
  return aggregateIndex(input, normalizeRules(input));
}

/** Normalize step: drafts -> rule records (canonical predicates, resolved techniques, unique slugs). */
export function normalizeRules(input: IndexInput, onRule?: (draft: RuleDraft, record: RuleRecord, diagnostics: Diagnostic[], src: LoadedSource) => void): RuleRecord[] {
  const rules: RuleRecord[] = [];
  for (const src of input.sources) {
    const used = new Set<string>();
    for (const d of sortDrafts(src.drafts)) {
      const { record, diagnostics } = normalizeDraft(d, src.config, src.report.commit, input);
      record.slug = uniqueSlug(d.id, d.path, used);
      for (const x of diagnostics) src.report.diagnostics.push(x);
      onRule?.(d, record, diagnostics, src);
      rules.push(record);
    }
    src.report.diagnostics.sort(compareDiagnostics);
  }
  return sortRules(rules);
}

/** Drafts in slug-assignment order: by id, then path (stable, so a file's own order breaks ties). */
export function sortDrafts<T extends { id: string; path: string }>(drafts: readonly T[]): T[] {
  return [...drafts].sort((a, b) => cmp(a.id, b.id) || cmp(a.path, b.path));
}

/** The order of `SiteIndex.rules`. */
export function sortRules<T extends { source: string; slug: string }>(rules: T[]): T[] {
  return rules.sort((a, b) => cmp(a.source, b.source) || cmp(a.slug, b.slug));
}

/**
 * What a warm (incremental) run brings to the aggregate step: facts it kept per rule, corpus stats
 * it computed already, and the previous run's technique and event records for those it did not
 * touch. Without it, everything is computed from the rules.
 */
export interface AggregateReuse {
  stats?: CorpusStats;
  /** Rules whose `indicators` fill themselves when decoded (lazy records): not assigned here. */
  lazyIndicators?: (r: RuleRecord) => boolean;
  techniques?: {
    previous: ReadonlyMap<string, TechniqueRecord>;
    touched: ReadonlySet<string>;
  };
  events?: {
    previous: ReadonlyMap<string, EventRecord>;
    touched: ReadonlySet<string>;
  };
}

/** Aggregate step: corpus reach, technique / event / field aggregates. */
export function aggregateIndex(input: IndexInput, rules: RuleRecord[], reuse: AggregateReuse = {}): SiteIndex {
  const maxRows = input.maxRows ?? 200;
  const stats = reuse.stats ?? corpusStats(rules);
  for (const r of rules) if (!reuse.lazyIndicators?.(r)) r.indicators = ruleIndicators(r, stats);
  const active = rules.filter((r) => !r.deprecated);

  const techniques = buildTechniques(active, input.attack, stats, input.catalog, maxRows, reuse.techniques);
  const events = buildEvents(active, input.catalog, input.attack, stats, maxRows, reuse.events);
  const tactics: TacticRecord[] = input.attack.tactics.map((t) => ({
    ...t,
    techniques: techniques.filter((x) => !x.isSubtechnique && x.tactics.includes(t.shortname)).map((x) => x.id),
  }));
  const redirects = [...input.attack.techniques.values()]
    .filter((t) => t.revoked && t.revokedBy)
    .map((t) => ({ from: t.id, to: t.revokedBy! }))
    .sort((a, b) => cmp(a.from, b.from));

  return {
    buildDate: input.buildDate,
    attackVersion: input.attack.version,
    sources: input.sources.map((s) => s.report),
    tactics,
    rules,
    techniques,
    redirects,
    events,
    fields: catalogFieldRows(active, stats, 3),
    fieldValues: catalogFieldValues(stats, 50),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A rule's page slug from its id (or path), unique within its source through `used`. */
export function uniqueSlug(id: string, path: string, used: Set<string>): string {
  return claimSlug(slugBase(id, path), used);
}

/** The slug a rule asks for: its id as a URL segment, else its path's. */
export function slugBase(id: string, path: string): string {
  const s = safeSegment(id, '');
  return s !== '' ? s : safeSegment(path, 'rule');
}

/** `base`, or `base-2`, `base-3`... when taken. */
export function claimSlug(base: string, used: Set<string>): string {
  let slug = base;
  if (used.has(slug)) {
    let n = 2;
    while (used.has(`${slug}-${n}`)) n++;
    slug = `${slug}-${n}`;
  }
  used.add(slug);
  return slug;
}

/**
 * One draft as a rule record, with an empty slug (the caller makes it unique within the source):
 * canonical predicates, resolved techniques, and a warning per unresolved technique tag.
 */
export function normalizeDraft(
  d: RuleDraft,
  config: SourceConfig,
  commit: string | null,
  input: Pick<IndexInput, 'attack' | 'catalog' | 'mapper'>,
): { record: RuleRecord; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const predicates: Predicate[] = [];
  for (const part of d.parts) {
    for (const pp of polarPredicates(part.logic, part.step)) predicates.push(normalizePredicate(pp, input.mapper, d.mappingTables));
  }
  const resolutions: TechniqueResolution[] = [];
  const techniques = new Set<string>();
  for (const tag of d.techniqueTags) {
    const res = input.attack.resolve(tag.id);
    if (res) {
      techniques.add(res.id);
      resolutions.push({ tag: tag.id, id: res.id, via: res.via });
    } else {
      resolutions.push({ tag: tag.id, id: null, via: 'unresolved' });
      diagnostics.push({
        ...diagnosticAt(
          'attack/unresolved-technique',
          `technique tag ${tag.id} is not in ATT&CK ${input.attack.version}, its revoked-by redirects or our crosswalk`,
          'add the ID to catalog/attack/crosswalk-v19.yaml if it is a newer ATT&CK ID, or fix the tag upstream',
          { line: tag.line, column: tag.column, length: tag.id.length },
          'warning',
        ),
        file: d.path,
      });
    }
  }
  const rec: RuleRecord = {
    source: config.id,
    vendor: d.vendor,
    id: d.id,
    slug: '',
    title: d.title,
    path: d.path,
    upstreamUrl: ruleUpstreamUrl(config, commit, d.path),
    description: d.description,
    status: d.status,
    deprecated: d.deprecated,
    references: d.references,
    falsePositives: d.falsePositives,
    tags: d.tags,
    techniques: [...techniques].sort(),
    techniqueResolutions: resolutions,
    type: d.type,
    language: d.language,
    query: d.query,
    logsource: d.logsource,
    events: [...new Set(d.events)].filter((k) => input.catalog.events.has(k)).sort(),
    mappingTables: d.mappingTables,
    parts: d.parts,
    predicates,
    indicators: [],
    meta: d.meta,
    sections: d.sections,
  };
  if (d.severity !== undefined) rec.severity = d.severity;
  if (d.author !== undefined) rec.author = d.author;
  if (d.date !== undefined) rec.date = d.date;
  if (d.modified !== undefined) rec.modified = d.modified;
  if (d.queryLine !== undefined) rec.queryLine = d.queryLine;
  if (d.queryExpanded !== undefined) rec.queryExpanded = d.queryExpanded;
  return { record: rec, diagnostics };
}

/** Link to a rule's file upstream at the source's commit (or ref). */
export function ruleUpstreamUrl(config: SourceConfig, commit: string | null, path: string): string | null {
  return upstreamFileUrl({
    repo: config.repo,
    commit,
    ref: config.ref,
    fileUrl: config.fileUrl,
    path,
  });
}

export function ruleRef(r: RuleRecord): RuleRef {
  return {
    source: r.source,
    vendor: r.vendor,
    id: r.id,
    slug: r.slug,
    title: r.title,
  };
}

/** Rule refs in page order (vendor, title case-insensitively, source, slug); titles lowercased once each. */
function sortedRefs(rules: readonly RuleRecord[]): RuleRef[] {
  const keyed = rules.map((r) => ({ ref: ruleRef(r), title: r.title.toLowerCase() }));
  keyed.sort((a, b) => cmp(a.ref.vendor, b.ref.vendor) || cmp(a.title, b.title) || cmp(a.ref.source, b.ref.source) || cmp(a.ref.slug, b.ref.slug));
  return keyed.map((k) => k.ref);
}

function eventRefs(rules: readonly RuleRecord[], catalog: Catalog): EventRef[] {
  const counts = new Map<string, number>();
  for (const r of rules) for (const e of r.events) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts.entries()]
    .map(([key, n]) => {
      const ev = catalog.events.get(key)!;
      return {
        key,
        provider: ev.provider,
        eventId: ev.id,
        title: ev.title,
        rules: n,
      };
    })
    .sort((a, b) => cmp(a.provider, b.provider) || a.eventId - b.eventId);
}

function buildTechniques(active: RuleRecord[], attack: AttackView, stats: CorpusStats, catalog: Catalog, maxRows: number, reuse?: AggregateReuse['techniques']): TechniqueRecord[] {
  const exact = new Map<string, RuleRecord[]>();
  for (const r of active) {
    for (const t of r.techniques) {
      let l = exact.get(t);
      if (!l) exact.set(t, (l = []));
      l.push(r);
    }
  }
  // Children by parent from the model itself, so deprecated sub-techniques (which ATT&CK leaves out
  // of a parent's live list) still hang below their parent and are reachable.
  const children = new Map<string, string[]>();
  for (const t of attack.techniques.values()) {
    if (t.revoked || !t.isSubtechnique || !t.parentId) continue;
    const l = children.get(t.parentId) ?? [];
    l.push(t.id);
    children.set(t.parentId, l);
  }
  const out: TechniqueRecord[] = [];
  for (const t of attack.techniques.values()) {
    if (t.revoked) continue;
    const kept = reuse && !reuse.touched.has(t.id) ? reuse.previous.get(t.id) : undefined;
    if (kept) {
      out.push(kept);
      continue;
    }
    const subIds = [...new Set([...t.subtechniques, ...(children.get(t.id) ?? [])])].sort();
    const own = exact.get(t.id) ?? [];
    const ownSet = new Set(own);
    const viaSubs: RuleRecord[] = [];
    if (!t.isSubtechnique) {
      const seen = new Set<RuleRecord>();
      for (const sub of subIds) {
        for (const r of exact.get(sub) ?? []) {
          if (!ownSet.has(r) && !seen.has(r)) {
            seen.add(r);
            viaSubs.push(r);
          }
        }
      }
    }
    const all = [...own, ...viaSubs];
    const indicators = indicatorTop(all, stats, false, maxRows);
    const exclusions = indicatorTop(all, stats, true, maxRows);
    out.push({
      id: t.id,
      name: t.name,
      description: t.description,
      url: t.url,
      tactics: t.tactics,
      platforms: t.platforms,
      isSubtechnique: t.isSubtechnique,
      parentId: t.parentId ?? null,
      subtechniques: subIds,
      deprecated: t.deprecated,
      rules: sortedRefs(own),
      rollupRules: sortedRefs(viaSubs),
      events: eventRefs(all, catalog),
      fields: fieldRows(all, stats),
      indicators: indicators.rows,
      exclusions: exclusions.rows,
      indicatorCount: indicators.total,
      exclusionCount: exclusions.total,
      references: t.references,
    });
  }
  return out.sort((a, b) => cmp(a.id, b.id));
}

function buildEvents(active: RuleRecord[], catalog: Catalog, attack: AttackView, stats: CorpusStats, maxRows: number, reuse?: AggregateReuse['events']): EventRecord[] {
  const byEvent = new Map<string, RuleRecord[]>();
  for (const r of active) {
    for (const e of r.events) {
      let l = byEvent.get(e);
      if (!l) byEvent.set(e, (l = []));
      l.push(r);
    }
  }
  const out: EventRecord[] = [];
  for (const ev of [...catalog.events.values()].sort(compareEvents)) {
    const kept = reuse && !reuse.touched.has(ev.key) ? reuse.previous.get(ev.key) : undefined;
    if (kept) {
      out.push(kept);
      continue;
    }
    const rules = byEvent.get(ev.key) ?? [];
    const tcount = new Map<string, number>();
    for (const r of rules) for (const t of r.techniques) tcount.set(t, (tcount.get(t) ?? 0) + 1);
    const indicators = indicatorTop(rules, stats, false, maxRows);
    const rec: EventRecord = {
      key: ev.key,
      provider: ev.provider,
      providerSlug: ev.providerSlug,
      providerName: ev.providerName,
      eventId: ev.id,
      title: ev.title,
      channel: ev.channel,
      platform: ev.platform,
      catalogFields: ev.fields.map((f) => ({
        name: f.name,
        canonical: f.canonical,
        type: f.type,
      })),
      rules: sortedRefs(rules),
      techniques: [...tcount.entries()]
        .map(([id, n]) => ({
          id,
          name: attack.techniques.get(id)?.name ?? id,
          rules: n,
        }))
        .sort((a, b) => b.rules - a.rules || cmp(a.id, b.id)),
      fields: fieldRows(rules, stats),
      indicators: indicators.rows,
      indicatorCount: indicators.total,
    };
    if (ev.description !== undefined) rec.description = ev.description;
    out.push(rec);
  }
  return out;
}

function compareEvents(a: EventEntry, b: EventEntry): number {
  return cmp(a.providerSlug, b.providerSlug) || a.id - b.id;
}
