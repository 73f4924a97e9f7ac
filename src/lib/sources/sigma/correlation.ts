import type { SigmaFileContext } from './context.js';
import { strList } from './metadata.js';
import type { YNode } from './yaml-positions.js';

/** Correlation types of the Sigma correlation specification v2.1. */
export const CORRELATION_TYPES: readonly string[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];

/** Types whose condition must name the `field` it aggregates. */
const NEEDS_FIELD = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile']);
/** Types whose count `condition` is mandatory. */
const NEEDS_CONDITION = new Set(['event_count', 'value_count', 'value_sum', 'value_avg', 'value_percentile']);

/** A referenced rule, resolved when it lives in the same file. */
export interface CorrelationRef {
  /** As written in `rules:` (an id or a `name`). */
  ref: string;
  id?: string;
  title?: string;
}

/** What the rule page shows of a correlation (kept in `meta.correlation`). */
export interface CorrelationMeta {
  type: string;
  rules: CorrelationRef[];
  groupBy: string[];
  timespan?: string;
  /** `{gte: 10}`, `{field: User, gt: 100}` as written. */
  condition?: Record<string, unknown>;
  aliases?: Record<string, unknown>;
  generate?: boolean;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Read a `correlation:` block. Problems are warnings (the correlation is still listed with what it
 * references); only a block that is not a mapping is an error.
 */
export function readCorrelation(
  ctx: SigmaFileContext,
  value: unknown,
  node: YNode | null,
  inFile: ReadonlyMap<string, { id: string; title: string }>,
): CorrelationMeta | null {
  if (!isMap(value)) {
    ctx.reportAt('sigma/invalid-correlation', 'error', '`correlation:` must be a mapping', 'give type, rules, group-by, timespan and condition under `correlation:`', node);
    return null;
  }
  const at = (k: string): YNode | null | undefined => node?.entries?.get(k)?.value ?? node?.entries?.get(k)?.key ?? node;
  const type = typeof value.type === 'string' ? value.type : '';
  if (!CORRELATION_TYPES.includes(type)) {
    ctx.reportAt('sigma/correlation-type', 'warning', type ? `unknown correlation type '${type}'` : 'the correlation has no type', `use one of: ${CORRELATION_TYPES.join(', ')}`, at('type'));
  }
  const refs = strList(value.rules);
  if (refs.length === 0) {
    ctx.reportAt('sigma/correlation-rules', 'warning', 'the correlation references no rules', 'list the ids or names of the correlated rules under `rules:`', at('rules'));
  }
  const rules = refs.map((ref): CorrelationRef => {
    const hit = inFile.get(ref);
    return hit ? { ref, id: hit.id, title: hit.title } : { ref };
  });
  const meta: CorrelationMeta = { type, rules, groupBy: strList(value['group-by']) };
  const timespan = value.timespan ?? value.timeframe;
  if (timespan !== undefined) {
    meta.timespan = String(timespan);
    if (!/^\d+[smhdwMy]$/.test(meta.timespan)) {
      ctx.reportAt('sigma/correlation-timespan', 'warning', `timespan '${meta.timespan}' is not a number followed by s, m, h or d`, 'write e.g. `timespan: 5m`', at('timespan'));
    }
  } else {
    ctx.reportAt('sigma/correlation-timespan', 'warning', 'the correlation has no timespan', 'add `timespan:` (e.g. `10m`)', node);
  }
  if (isMap(value.condition)) meta.condition = value.condition;
  if (NEEDS_CONDITION.has(type) && !meta.condition) {
    ctx.reportAt('sigma/correlation-condition', 'warning', `a ${type} correlation needs a condition`, 'add e.g. `condition: {gte: 10}`', node);
  }
  if (NEEDS_FIELD.has(type) && meta.condition && meta.condition.field === undefined) {
    ctx.reportAt('sigma/correlation-condition', 'warning', `a ${type} correlation needs \`field\` in its condition`, 'name the aggregated field, e.g. `field: User`', at('condition'));
  }
  if (isMap(value.aliases)) meta.aliases = value.aliases;
  if (typeof value.generate === 'boolean') meta.generate = value.generate;
  return meta;
}
