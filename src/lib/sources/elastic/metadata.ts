import type { RuleSection, TechniqueTag } from '../../model/rule.js';

export type Table = Record<string, unknown>;

export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A string, or undefined (TOML values of the wrong type are ignored for optional fields). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A list of strings from a string or an array (other items dropped). */
export function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string');
}

/** `2023/01/11` -> `2023-01-11`, so dates sort and read like the other vendors'. */
export function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(v.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : v.trim();
}

/** Remove the common indentation of a multi-line string (false positives are written indented in `"""`). */
export function dedent(s: string): string {
  const lines = s.replace(/\r\n/g, '\n').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n').trim();
}

/** Technique IDs of `[[rule.threat]]` in order (techniques, then their sub-techniques), deduplicated. */
export function threatTechniqueIds(threat: unknown): string[] {
  const ids: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v !== 'string') return;
    const id = v.trim().toUpperCase();
    if (id && !ids.includes(id)) ids.push(id);
  };
  for (const t of Array.isArray(threat) ? threat : []) {
    if (!isTable(t)) continue;
    for (const tech of Array.isArray(t.technique) ? t.technique : []) {
      if (!isTable(tech)) continue;
      add(tech.id);
      for (const sub of Array.isArray(tech.subtechnique) ? tech.subtechnique : []) if (isTable(sub)) add(sub.id);
    }
  }
  return ids;
}

export function techniqueTags(threat: unknown, positions: Map<string, { line: number; column: number }>, fallback: { line: number; column: number }): TechniqueTag[] {
  return threatTechniqueIds(threat).map((id) => ({ id, ...(positions.get(id) ?? fallback) }));
}

/** The investigation guide and setup notes as titled Markdown sections. */
export function ruleSections(rule: Table): RuleSection[] {
  const sections: RuleSection[] = [];
  const note = str(rule.note)?.trim();
  if (note) sections.push({ title: 'Investigation guide', markdown: note });
  const setup = str(rule.setup)?.trim();
  if (setup) sections.push({ title: 'Setup', markdown: setup });
  return sections;
}

/**
 * Vendor facts for the rule page; only keys the rule has. Query-language facts (EQL sequence, ES|QL
 * sources) are added by the caller.
 */
export function ruleMeta(rule: Table, metadata: Table): Record<string, unknown> {
  const meta: Record<string, unknown> = { ruleType: rule.type };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) meta[key] = value;
  };
  set('index', Array.isArray(rule.index) ? strList(rule.index) : undefined);
  if (rule.building_block_type !== undefined) meta.building_block = true;
  set('risk_score', rule.risk_score);
  set('threshold', rule.threshold);
  if (isTable(rule.new_terms)) {
    const history = Array.isArray(rule.new_terms.history_window_start) ? rule.new_terms.history_window_start[0] : undefined;
    const nt: Record<string, unknown> = { fields: strList(rule.new_terms.value) };
    const start = isTable(history) ? str(history.value) : undefined;
    if (start) nt.history_window_start = start;
    meta.new_terms = nt;
  }
  set('alert_suppression', rule.alert_suppression);
  set('event_category_override', rule.event_category_override);
  set('threat_query', str(rule.threat_query)?.trim());
  set('threat_mapping', threatMapping(rule.threat_mapping));
  set('threat_index', Array.isArray(rule.threat_index) ? strList(rule.threat_index) : undefined);
  set('machine_learning_job_id', rule.machine_learning_job_id === undefined ? undefined : strList(rule.machine_learning_job_id));
  set('anomaly_threshold', rule.anomaly_threshold);
  set('integration', metadata.integration === undefined ? undefined : strList(metadata.integration));
  set('maturity', str(metadata.maturity));
  return meta;
}

/** `[[rule.threat_mapping]]` entries as `{ field, value }` pairs (event field <- indicator field), ANDed per group. */
function threatMapping(v: unknown): { field: string; value: string }[][] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isTable).map((group) =>
    (Array.isArray(group.entries) ? group.entries : []).filter(isTable).map((e) => ({ field: String(e.field ?? ''), value: String(e.value ?? '') })),
  );
}
