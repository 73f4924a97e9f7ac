import type { RuleDraft } from '../../model/rule.js';
import { not } from '../../model/logic.js';
import type { AdapterContext } from '../adapter.js';
import type { SigmaFileContext } from './context.js';
import { readCorrelation, type CorrelationMeta } from './correlation.js';
import type { MergedDocument } from './legacy.js';
import { logsourceLabel, readLogsource, resolveEvents, type LogsourceLookup } from './logsource.js';
import { strList, type SigmaMetadata } from './metadata.js';
import { blockQuery, searchLogic } from './rule-parts.js';
import type { YNode } from './yaml-positions.js';

/**
 * One builder per Sigma document kind. Detections carry their condition tree; filters carry
 * `not(filter logic)` so their predicates read as exclusions to apply to the rules they name;
 * correlations carry no parts and keep their definition in `meta.correlation`.
 */
export type Doc = Record<string, unknown>;

/** A YAML mapping (not a list, not null): the shape every Sigma document and block must have. */
export function isMap(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fields of a draft every Sigma document kind fills the same way. */
function baseDraft(meta: SigmaMetadata, path: string, type: RuleDraft['type']): RuleDraft {
  const draft: RuleDraft = {
    id: meta.id,
    title: meta.title,
    description: meta.description,
    vendor: 'sigma',
    path,
    status: meta.status,
    deprecated: meta.deprecated,
    references: meta.references,
    falsePositives: meta.falsePositives,
    tags: meta.tags,
    techniqueTags: meta.techniqueTags,
    type,
    language: 'sigma',
    query: null,
    parts: [],
    logsource: 'unspecified',
    events: [],
    mappingTables: [],
    meta: {},
    sections: [],
  };
  if (meta.severity !== undefined) draft.severity = meta.severity;
  if (meta.author !== undefined) draft.author = meta.author;
  if (meta.date !== undefined) draft.date = meta.date;
  if (meta.modified !== undefined) draft.modified = meta.modified;
  return draft;
}

/** The `meta` keys shared by all kinds: log source as written, fields, related, level, name. */
function commonMeta(doc: Doc): Record<string, unknown> {
  const ls = readLogsource(doc.logsource);
  const meta: Record<string, unknown> = {
    logsource: { product: ls.product ?? null, category: ls.category ?? null, service: ls.service ?? null, definition: ls.definition ?? null },
    fields: strList(doc.fields),
    related: Array.isArray(doc.related) ? doc.related.filter(isMap) : [],
    sigmaLevel: typeof doc.level === 'string' ? doc.level : null,
  };
  if (typeof doc.name === 'string') meta.name = doc.name;
  if (typeof doc.taxonomy === 'string') meta.taxonomy = doc.taxonomy;
  if (typeof doc.license === 'string') meta.license = doc.license;
  if (doc.scope !== undefined) meta.scope = strList(doc.scope);
  return meta;
}

/** Set query/queryLine from a top-level block, or the whole file for merged legacy documents. */
function setQuery(ctx: SigmaFileContext, draft: RuleDraft, node: YNode | null, key: string, merged: boolean): void {
  const entry = node?.entries?.get(key);
  if (merged || !entry) {
    draft.query = ctx.text;
    draft.queryLine = 1;
  } else {
    const q = blockQuery(ctx, entry);
    draft.query = q.query;
    draft.queryLine = q.queryLine;
  }
  ctx.queryLine = draft.queryLine;
}

/** A `detection:` rule: selections + condition -> one part; events from the catalog log source. */
export function detectionDraft(ctx: SigmaFileContext, actx: AdapterContext, lookup: LogsourceLookup, d: MergedDocument, doc: Doc, meta: SigmaMetadata, path: string): RuleDraft {
  const draft = baseDraft(meta, path, 'detection');
  setQuery(ctx, draft, d.node, 'detection', d.merged);
  draft.meta = commonMeta(doc);
  const detNode = d.node?.entries?.get('detection');
  if (!isMap(doc.detection)) {
    ctx.reportAt('sigma/missing-detection', 'error', doc.detection === undefined ? 'the rule has no detection block' : '`detection:` must be a mapping', 'add `detection:` with selections and a condition', detNode?.key ?? d.node);
    return draft;
  }
  const res = searchLogic(ctx, doc.detection, detNode?.value ?? null, detNode?.key ?? null);
  if (res.tails.length) draft.meta.legacyCondition = res.tails.map((t) => `| ${t.text}`);
  const timeframe = res.timeframe ?? (doc.timeframe !== undefined ? String(doc.timeframe) : undefined);
  if (timeframe !== undefined) draft.meta.timeframe = timeframe;
  const ls = readLogsource(doc.logsource);
  if (doc.logsource === undefined) {
    ctx.reportAt('sigma/missing-logsource', 'warning', 'the rule has no logsource', 'add `logsource:` with product/category/service', d.node);
  }
  draft.logsource = logsourceLabel(ls);
  const ev = resolveEvents(actx.catalog, ls, res.logic, lookup);
  draft.events = ev.events;
  draft.mappingTables = ev.tables;
  if (res.logic) draft.parts = [{ logic: res.logic }];
  return draft;
}

/** A `filter:` document (Sigma filters spec): its logic negated, so every predicate is an exclusion. */
export function filterDraft(ctx: SigmaFileContext, actx: AdapterContext, lookup: LogsourceLookup, d: MergedDocument, doc: Doc, meta: SigmaMetadata, path: string): RuleDraft {
  const draft = baseDraft(meta, path, 'filter');
  setQuery(ctx, draft, d.node, 'filter', d.merged);
  draft.meta = commonMeta(doc);
  const fNode = d.node?.entries?.get('filter');
  const block = doc.filter as Doc;
  const rules = strList(block.rules);
  draft.meta.filter = { rules };
  if (rules.length === 0) {
    ctx.reportAt('sigma/filter-rules', 'warning', 'the filter names no rules to apply to', 'list rule ids under `filter: rules:`', fNode?.key);
  }
  const res = searchLogic(ctx, block, fNode?.value ?? null, fNode?.key ?? null, ['rules']);
  const ls = readLogsource(doc.logsource);
  draft.logsource = logsourceLabel(ls);
  const ev = resolveEvents(actx.catalog, ls, null, lookup);
  draft.events = ev.events;
  draft.mappingTables = ev.tables;
  // A filter removes matches from the rules it names: its predicates are exclusions to apply there.
  if (res.logic) draft.parts = [{ label: 'filter', logic: not(res.logic) }];
  return draft;
}

/** A document of the file as a correlation can reference it (by `id` or `name`). */
export interface InFileRule {
  id: string;
  title: string;
  /** Set once the document was published. */
  draft?: RuleDraft;
}

/** A `correlation:` document: no parts, the definition and resolved references in `meta.correlation`. */
export function correlationDraft(ctx: SigmaFileContext, d: MergedDocument, doc: Doc, meta: SigmaMetadata, path: string, inFile: ReadonlyMap<string, InFileRule>): RuleDraft {
  const draft = baseDraft(meta, path, 'correlation');
  setQuery(ctx, draft, d.node, 'correlation', d.merged);
  draft.meta = commonMeta(doc);
  const cNode = d.node?.entries?.get('correlation');
  const corr = readCorrelation(ctx, doc.correlation, cNode?.value ?? cNode?.key ?? null, inFile);
  if (!corr) return draft;
  if (corr.generate === undefined && typeof doc.generate === 'boolean') corr.generate = doc.generate;
  draft.meta.correlation = corr;
  draft.logsource = `correlation / ${corr.type || 'unknown'}`;
  return draft;
}

/**
 * Events and tables of a correlation: those of the rules it references in the same file,
 * following chained correlations (a cycle or an external reference simply adds nothing).
 */
export function correlationSources(draft: RuleDraft, inFile: ReadonlyMap<string, InFileRule>, seen: Set<string>, events: Set<string>, tables: string[]): void {
  if (seen.has(draft.id)) return;
  seen.add(draft.id);
  const corr = draft.meta.correlation as CorrelationMeta | undefined;
  for (const r of corr?.rules ?? []) {
    const target = inFile.get(r.ref)?.draft;
    if (!target) continue;
    if (target.type === 'correlation') {
      correlationSources(target, inFile, seen, events, tables);
    } else {
      target.events.forEach((e) => events.add(e));
      target.mappingTables.forEach((t) => tables.includes(t) || tables.push(t));
    }
  }
}

