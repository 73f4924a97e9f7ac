import { polarPredicates, type QueryPart } from '../../model/logic.js';
import { strList, type Table } from './metadata.js';

/**
 * Index patterns a rule reads: `index` from the TOML, else the sources of an ES|QL `FROM` (the
 * ES|QL analyzer reports them in its meta as `from`, `indices` or `sources`).
 */
export function queryIndices(rule: Table, meta: Record<string, unknown>): string[] {
  const declared = strList(rule.index);
  if (declared.length > 0) return declared;
  const esql = meta.esql;
  if (typeof esql === 'object' && esql !== null) {
    for (const key of ['from', 'indices', 'sources', 'index']) {
      const v = (esql as Record<string, unknown>)[key];
      const list = strList(v);
      if (list.length > 0) return list;
    }
  }
  return [];
}

/** Event categories a rule names: EQL subquery categories, else `event.category` values it requires. */
function ruleCategories(parts: readonly QueryPart[], categoryField: string): string[] {
  const out: string[] = [];
  const add = (c: string): void => {
    if (!out.includes(c)) out.push(c);
  };
  for (const p of parts) if (p.category && p.category !== 'any') add(p.category);
  if (out.length > 0) return out;
  for (const p of parts) {
    for (const { pred, exclusion } of polarPredicates(p.logic)) {
      if (!exclusion && pred.operator === 'eq' && pred.field === categoryField && typeof pred.value === 'string') add(pred.value);
    }
  }
  return out;
}

/**
 * Human label of where a rule reads from, shown even when no catalog event matches:
 * `logs-endpoint.events.process-*, winlogbeat-* / process`, or the ML jobs of an ML rule.
 */
export function logsourceLabel(rule: Table, meta: Record<string, unknown>, parts: readonly QueryPart[], indices: readonly string[]): string {
  if (rule.type === 'machine_learning') {
    const jobs = strList(meta.machine_learning_job_id);
    return jobs.length ? `machine learning: ${jobs.join(', ')}` : 'machine learning';
  }
  const categoryField = typeof rule.event_category_override === 'string' ? rule.event_category_override : 'event.category';
  // with `event_category_override` the EQL category is a value of another field: say which
  const cats = ruleCategories(parts, categoryField).map((c) => (categoryField === 'event.category' ? c : `${categoryField}: ${c}`));
  const where = indices.length ? indices.join(', ') : 'default index patterns';
  return cats.length ? `${where} / ${cats.join(', ')}` : where;
}
