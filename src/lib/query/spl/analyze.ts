import { and, type Logic, type QueryPart } from '../../model/logic.js';
import type { QueryAnalysis } from '../types.js';
import type { SplCommand, SplMeta, SplPipeline } from './ast.js';
import { DerivedFields, markDerived, predicateFields } from './fields.js';
import { parseSpl } from './parser.js';

/** Commands that only select events or name a data set: not listed in `meta.commands`. */
const SELECTING = new Set(['search', 'where', 'regex', 'tstats', 'mstats', 'from', 'datamodel']);
const STATS_FAMILY = new Set(['tstats', 'mstats', 'stats', 'eventstats', 'streamstats', 'chart', 'timechart']);

/**
 * Analyze an already macro-expanded search: one part ANDing every filtering stage (leading search,
 * tstats `where`, `| search`, `| where`, `| regex`), with predicates on computed fields marked
 * `derived`; join/append subsearches that filter become further steps.
 */
export function analyzeSpl(text: string): QueryAnalysis<SplMeta> {
  const { ast, diagnostics } = parseSpl(text);
  const meta: SplMeta = { nodes: [], datamodels: [], commands: [], derivedFields: [], by: [], lookups: [] };
  const parts: QueryPart[] = [];
  if (ast) walkPipeline(ast, meta, parts, { label: 'search', by: [] }, true);
  if (parts.length === 0) parts.push({ logic: { kind: 'any' } });
  if (parts.length > 1) parts.forEach((p, i) => (p.step = i + 1));
  else delete parts[0]!.label;
  const firstModel = meta.datamodels[0];
  if (firstModel) meta.datamodel = firstModel.split('.')[0]!;
  return { parts, diagnostics, meta };
}

function walkPipeline(pipeline: SplPipeline, meta: SplMeta, parts: QueryPart[], head: { label: string; by: string[] }, top: boolean): void {
  const derived = new DerivedFields();
  const filters: Logic[] = [];
  const later: QueryPart[] = [];
  for (const cmd of pipeline.commands) {
    if (cmd.filter) {
      const f = markDerived(cmd.filter, derived);
      if (f.kind === 'and') appendAll(filters, f.children);
      else if (f.kind !== 'any') filters.push(f);
    }
    if (top && !SELECTING.has(cmd.name)) pushUnique(meta.commands, cmd.text);
    if (cmd.datamodel) recordDataset(cmd, meta);
    if (top && meta.by.length === 0 && cmd.by?.length && STATS_FAMILY.has(cmd.name)) meta.by = cmd.by.slice();
    if (cmd.table) pushUnique(meta.lookups, cmd.table);
    for (const name of cmd.creates) {
      derived.add(name);
      pushUnique(meta.derivedFields, name);
    }
    for (const sub of cmd.subsearches) walkPipeline(sub.pipeline, meta, later, { label: sub.via, by: sub.by }, false);
  }
  const logic: Logic = filters.length === 0 ? { kind: 'any' } : and(filters);
  if (top || logic.kind !== 'any') {
    const part: QueryPart = { label: head.label, logic };
    if (head.by.length) part.by = head.by;
    parts.push(part);
  }
  appendAll(parts, later);
}

/** `target.push(...items)` without spreading into one call, which overflows the stack on huge arrays. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Record `Model.Node` data sets; a model without a node takes the nodes its field prefixes name. */
function recordDataset(cmd: SplCommand, meta: SplMeta): void {
  const spec = cmd.datamodel!;
  const model = spec.split('.')[0]!;
  let nodes = cmd.nodes ?? [];
  if (nodes.length === 0) {
    const fields = [...(cmd.filter ? predicateFields(cmd.filter) : []), ...(cmd.by ?? [])];
    nodes = [];
    for (const f of fields) {
      const dot = f.indexOf('.');
      if (dot > 0) pushUnique(nodes, f.slice(0, dot));
    }
  }
  if (nodes.length === 0) pushUnique(meta.datamodels, model);
  for (const n of nodes) {
    pushUnique(meta.nodes, n);
    pushUnique(meta.datamodels, `${model}.${n}`);
  }
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
