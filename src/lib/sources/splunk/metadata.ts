import type { TechniqueTag } from '../../model/rule.js';
import type { RuleFilePositions } from './positions.js';
import type { SplunkPrepared } from './prepare.js';

/** A YAML mapping as js-yaml returns it: untrusted, every value checked before use. */
export type Doc = Record<string, unknown>;

/** Tolerant readers for third-party YAML values (numbers and booleans read as strings where a string is expected). */
export const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
export const strList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(str).filter((s): s is string => !!s && s.trim() !== '').map((s) => s.trim());
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** `tags.mitre_attack_id` with where each ID is written (falls back to the key's line). */
export function techniqueTags(tags: Doc, pos: RuleFilePositions): { tags: TechniqueTag[]; invalid: Array<{ id: string; line: number; column: number }> } {
  const keyLine = pos.nestedKeyLine('tags', 'mitre_attack_id') || pos.keyLine('tags') || 1;
  const out: TechniqueTag[] = [];
  const invalid: Array<{ id: string; line: number; column: number }> = [];
  let from = keyLine;
  for (const raw of strList(tags.mitre_attack_id)) {
    const id = raw.toUpperCase();
    const at = pos.valueAt(raw, from, 100) ?? { line: keyLine, column: 1 };
    from = at.line;
    if (!TECHNIQUE_ID.test(id)) {
      invalid.push({ id: raw, ...at });
      continue;
    }
    if (!out.some((t) => t.id === id)) out.push({ id, ...at });
  }
  return { tags: out, invalid };
}

/**
 * Splunk's risk score (0–100, `impact × confidence / 100` when not given) bucketed the way
 * contentctl derives a severity: ≥80 critical, ≥60 high, ≥40 medium, ≥20 low, else informational.
 */
export function riskSeverity(tags: Doc): { score?: number; severity?: string } {
  let score = num(tags.risk_score);
  const impact = num(tags.impact);
  const confidence = num(tags.confidence);
  if (score === undefined && impact !== undefined && confidence !== undefined) score = Math.round((impact * confidence) / 100);
  if (score === undefined) return {};
  const severity = score >= 80 ? 'critical' : score >= 60 ? 'high' : score >= 40 ? 'medium' : score >= 20 ? 'low' : 'informational';
  return { score, severity };
}

/** Risk, observables and the other ESCU tags the rule page shows. */
export function riskMeta(tags: Doc): Record<string, unknown> {
  const observables = (Array.isArray(tags.observable) ? tags.observable : []).filter(isRecord).map((o) => ({
    name: str(o.name) ?? '',
    type: str(o.type) ?? '',
    role: strList(o.role),
  }));
  const risk: Record<string, unknown> = {};
  const { score } = riskSeverity(tags);
  if (score !== undefined) risk.score = score;
  for (const k of ['impact', 'confidence'] as const) {
    const v = num(tags[k]);
    if (v !== undefined) risk[k] = v;
  }
  const message = str(tags.message);
  if (message) risk.message = message;
  if (observables.length) risk.observables = observables;
  return risk;
}

/** `analytic_story` names with the story's id and description when stories/ defines it. */
export function analyticStories(tags: Doc, prepared: SplunkPrepared): Array<{ name: string; id?: string; description?: string }> {
  return strList(tags.analytic_story).map((name) => prepared.stories.get(name.toLowerCase()) ?? { name });
}

/** `tests[].attack_data[]`: links to the attack data each test replays. */
export function testsMeta(doc: Doc): Array<{ name: string; attackData: Array<{ data: string; source?: string; sourcetype?: string }> }> {
  return (Array.isArray(doc.tests) ? doc.tests : []).filter(isRecord).map((t) => ({
    name: str(t.name) ?? '',
    attackData: (Array.isArray(t.attack_data) ? t.attack_data : []).filter(isRecord).map((a) => {
      const item: { data: string; source?: string; sourcetype?: string } = { data: (str(a.data) ?? '').trim() };
      const source = str(a.source);
      const sourcetype = str(a.sourcetype);
      if (source) item.source = source;
      if (sourcetype) item.sourcetype = sourcetype;
      return item;
    }),
  }));
}
