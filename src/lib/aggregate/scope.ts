import type { Operator, Scalar } from '../model/logic.js';
import type { Vendor } from '../model/rule.js';
import { isBehaviourField, isIndicator, type Predicate } from '../normalize/predicate.js';
import type { FieldRow, IndicatorRow, RuleRecord } from './types.js';

/** Corpus-wide facts every scope needs: reach per key and the preferred spelling of each value. */
export interface CorpusStats {
  reach: Map<string, number>;
  exclusionReach: Map<string, number>;
  display: Map<string, Scalar>;
}

/** Vendor order on every page. */
export const VENDOR_ORDER: readonly Vendor[] = ['sigma', 'elastic', 'splunk'];

export function sortVendors(vs: Iterable<Vendor>): Vendor[] {
  return [...new Set(vs)].sort((a, b) => VENDOR_ORDER.indexOf(a) - VENDOR_ORDER.indexOf(b));
}

/**
 * One pass over the active rules: how many rules use each key as a condition and as an exclusion,
 * and the most common written form of each value (ties broken by string order, so output is stable).
 */
export function corpusStats(rules: readonly RuleRecord[]): CorpusStats {
  const reach = new Map<string, number>();
  const exclusionReach = new Map<string, number>();
  const spellings = new Map<string, Map<string, { value: Scalar; n: number }>>();
  for (const r of rules) {
    if (r.deprecated) continue;
    const seen = new Set<string>();
    for (const p of r.predicates) {
      if (!isIndicator(p)) continue;
      const k = (p.exclusion ? 'x' : 'c') + p.key;
      if (seen.has(k)) continue;
      seen.add(k);
      const m = p.exclusion ? exclusionReach : reach;
      m.set(p.key, (m.get(p.key) ?? 0) + 1);
      let sp = spellings.get(p.key);
      if (!sp) spellings.set(p.key, (sp = new Map()));
      const s = String(p.value);
      const e = sp.get(s);
      if (e) e.n++;
      else sp.set(s, { value: p.value, n: 1 });
    }
  }
  const display = new Map<string, Scalar>();
  for (const [key, sp] of spellings) {
    let best: { s: string; value: Scalar; n: number } | null = null;
    for (const [s, e] of sp) {
      if (!best || e.n > best.n || (e.n === best.n && s < best.s)) best = { s, value: e.value, n: e.n };
    }
    display.set(key, best!.value);
  }
  return { reach, exclusionReach, display };
}

interface Acc {
  canonical: string;
  operator: Operator;
  key: string;
  rules: number;
  vendors: Set<Vendor>;
}

/** Indicator rows (conditions or exclusions) of a set of rules: each rule counts once per row. */
export function indicatorRows(rules: readonly RuleRecord[], stats: CorpusStats, exclusion: boolean): IndicatorRow[] {
  const acc = new Map<string, Acc>();
  for (const r of rules) {
    const seen = new Set<string>();
    for (const p of r.predicates) {
      if (p.exclusion !== exclusion || !isIndicator(p) || seen.has(p.key)) continue;
      seen.add(p.key);
      let a = acc.get(p.key);
      if (!a) acc.set(p.key, (a = { canonical: p.canonical!, operator: p.operator, key: p.key, rules: 0, vendors: new Set() }));
      a.rules++;
      a.vendors.add(r.vendor);
    }
  }
  const reachMap = exclusion ? stats.exclusionReach : stats.reach;
  return [...acc.values()]
    .map((a) => ({
      canonical: a.canonical,
      operator: a.operator,
      value: stats.display.get(a.key) ?? null,
      rules: a.rules,
      reach: reachMap.get(a.key) ?? a.rules,
      vendors: sortVendors(a.vendors),
      key: a.key,
    }))
    .sort(compareRows);
}

function compareRows(a: IndicatorRow, b: IndicatorRow): number {
  return b.rules - a.rules || b.reach - a.reach || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Fields filtered most by a set of rules, with operator use and sample values. */
export function fieldRows(rules: readonly RuleRecord[], stats: CorpusStats, sampleCount = 4): FieldRow[] {
  interface FAcc {
    rules: number;
    ops: Map<Operator, number>;
    values: Map<string, number>;
    raw: Map<string, Vendor>;
    vendors: Set<Vendor>;
  }
  const acc = new Map<string, FAcc>();
  for (const r of rules) {
    const seenField = new Set<string>();
    const seenOp = new Set<string>();
    const seenVal = new Set<string>();
    for (const p of r.predicates) {
      if (!isBehaviourField(p)) continue;
      const c = p.canonical!;
      let a = acc.get(c);
      if (!a) acc.set(c, (a = { rules: 0, ops: new Map(), values: new Map(), raw: new Map(), vendors: new Set() }));
      if (!seenField.has(c)) {
        seenField.add(c);
        a.rules++;
        a.vendors.add(r.vendor);
      }
      const ok = c + '\u0000' + p.operator;
      if (!seenOp.has(ok)) {
        seenOp.add(ok);
        a.ops.set(p.operator, (a.ops.get(p.operator) ?? 0) + 1);
      }
      if (p.field !== null && !a.raw.has(p.field)) a.raw.set(p.field, r.vendor);
      if (!p.exclusion && isIndicator(p) && !seenVal.has(p.key)) {
        seenVal.add(p.key);
        a.values.set(p.key, (a.values.get(p.key) ?? 0) + 1);
      }
    }
  }
  return [...acc.entries()]
    .map(([canonical, a]) => ({
      canonical,
      rules: a.rules,
      operators: Object.fromEntries([...a.ops.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))),
      samples: [...a.values.entries()]
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .slice(0, sampleCount)
        .map(([k]) => String(stats.display.get(k) ?? '')),
      raw: [...a.raw.entries()].map(([field, vendor]) => ({ field, vendor })).sort((x, y) => (x.field < y.field ? -1 : x.field > y.field ? 1 : 0)),
      vendors: sortVendors(a.vendors),
    }))
    .sort((a, b) => b.rules - a.rules || (a.canonical < b.canonical ? -1 : 1));
}

/** Distinct indicator keys a rule contributes, for its page, with reach. */
export function ruleIndicators(predicates: readonly Predicate[], stats: CorpusStats, vendor: Vendor) {
  const out: (IndicatorRow & { exclusion: boolean })[] = [];
  const seen = new Set<string>();
  for (const p of predicates) {
    if (!isIndicator(p)) continue;
    const k = (p.exclusion ? 'x' : 'c') + p.key;
    if (seen.has(k)) continue;
    seen.add(k);
    const reach = (p.exclusion ? stats.exclusionReach : stats.reach).get(p.key) ?? 1;
    out.push({ canonical: p.canonical!, operator: p.operator, value: p.value, rules: 1, reach, vendors: [vendor], key: p.key, exclusion: p.exclusion });
  }
  return out;
}
