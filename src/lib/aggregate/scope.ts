import { OPERATORS, type Operator, type Scalar } from '../model/logic.js';
import type { Vendor } from '../model/rule.js';
import { isBehaviourField, isIndicator, type Predicate } from '../normalize/predicate.js';
import type { FieldRow, IndicatorRow, RuleRecord } from './types.js';

/** Vendor order on every page. */
export const VENDOR_ORDER: readonly Vendor[] = ['sigma', 'elastic', 'splunk'];

export function sortVendors(vs: Iterable<Vendor>): Vendor[] {
  return [...new Set(vs)].sort((a, b) => VENDOR_ORDER.indexOf(a) - VENDOR_ORDER.indexOf(b));
}

const vendorBit = (v: Vendor): number => 1 << Math.max(0, VENDOR_ORDER.indexOf(v));
const vendorsOf = (mask: number): Vendor[] => VENDOR_ORDER.filter((_, i) => (mask & (1 << i)) !== 0);
const OP_INDEX = new Map<Operator, number>(OPERATORS.map((o, i) => [o, i]));

/** A behaviour field of one rule: the operators it uses there and its distinct condition values. */
interface FieldFact {
  field: number;
  opMask: number;
  values: number[];
  raw: string[];
}

/**
 * What aggregates need of one rule, computed once: distinct indicator key ids (conditions and
 * exclusions) and behaviour fields. Every scope (technique, parent roll-up, event, catalog) then
 * only counts small integers instead of re-walking predicates.
 */
interface RuleFacts {
  vendor: number;
  cond: number[];
  excl: number[];
  fields: FieldFact[];
  /** Distinct indicator keys of the rule (either polarity) with their first written value. */
  spelled: Map<number, Scalar>;
}

/** Corpus-wide facts every scope needs: interned keys, reach per key, the preferred spelling. */
export interface CorpusStats {
  /** key string -> id; ids are ranked by key string so ties sort like the strings. */
  ids: Map<string, number>;
  keys: string[];
  canonical: string[];
  operator: Operator[];
  reach: Int32Array;
  exclusionReach: Int32Array;
  display: Scalar[];
  fieldIds: Map<string, number>;
  fieldNames: string[];
  facts: WeakMap<RuleRecord, RuleFacts>;
}

/**
 * One pass over all rules: intern keys and fields, count how many active rules use each key as a
 * condition and as an exclusion, and the most common written form of each value (ties broken by
 * string order, so output is stable).
 */
export function corpusStats(rules: readonly RuleRecord[]): CorpusStats {
  // Intern keys in string order so that id order == key order (stable tie-breaks).
  const keyInfo = new Map<string, { canonical: string; operator: Operator }>();
  const fieldSet = new Set<string>();
  for (const r of rules) {
    for (const p of r.predicates) {
      if (isIndicator(p) && !keyInfo.has(p.key)) keyInfo.set(p.key, { canonical: p.canonical!, operator: p.operator });
      if (isBehaviourField(p)) fieldSet.add(p.canonical!);
    }
  }
  const keys = [...keyInfo.keys()].sort(cmp);
  const ids = new Map(keys.map((k, i) => [k, i]));
  const canonical = keys.map((k) => keyInfo.get(k)!.canonical);
  const operator = keys.map((k) => keyInfo.get(k)!.operator);
  const fieldNames = [...fieldSet].sort(cmp);
  const fieldIds = new Map(fieldNames.map((f, i) => [f, i]));
  const reach = new Int32Array(keys.length);
  const exclusionReach = new Int32Array(keys.length);
  // Spellings: each active rule votes once per key with its first written form. Most keys have a
  // single spelling, so a Map is only made when a second one shows up.
  const first: (string | undefined)[] = new Array(keys.length);
  const firstValue: Scalar[] = new Array(keys.length).fill(null);
  const firstCount = new Int32Array(keys.length);
  const more = new Map<number, Map<string, { value: Scalar; n: number }>>();
  const facts = new WeakMap<RuleRecord, RuleFacts>();

  for (const r of rules) {
    const f = ruleFacts(r, ids, fieldIds);
    facts.set(r, f);
    if (r.deprecated) continue;
    for (const id of f.cond) reach[id]!++;
    for (const id of f.excl) exclusionReach[id]!++;
    for (const [id, value] of f.spelled) {
      const s = String(value);
      if (first[id] === undefined) {
        first[id] = s;
        firstValue[id] = value;
        firstCount[id] = 1;
      } else if (first[id] === s) {
        firstCount[id]!++;
      } else {
        let m = more.get(id);
        if (!m) more.set(id, (m = new Map()));
        const e = m.get(s);
        if (e) e.n++;
        else m.set(s, { value, n: 1 });
      }
    }
  }
  const display: Scalar[] = new Array(keys.length).fill(null);
  for (let id = 0; id < keys.length; id++) {
    if (first[id] === undefined) continue;
    let best: { s: string; value: Scalar; n: number } = { s: first[id]!, value: firstValue[id] ?? null, n: firstCount[id]! };
    for (const [s, e] of more.get(id) ?? []) if (e.n > best.n || (e.n === best.n && s < best.s)) best = { s, value: e.value, n: e.n };
    display[id] = best.value;
  }
  // Keys used only by deprecated rules still need a display value for their own rule pages.
  for (const r of rules) {
    if (!r.deprecated) continue;
    for (const [id, value] of facts.get(r)!.spelled) if (first[id] === undefined && display[id] === null) display[id] = value;
  }
  return { ids, keys, canonical, operator, reach, exclusionReach, display, fieldIds, fieldNames, facts };
}

function ruleFacts(r: RuleRecord, ids: Map<string, number>, fieldIds: Map<string, number>): RuleFacts {
  const cond = new Set<number>();
  const excl = new Set<number>();
  const spelled = new Map<number, Scalar>();
  const fields = new Map<number, { opMask: number; values: Set<number>; raw: Set<string> }>();
  for (const p of r.predicates) {
    if (isIndicator(p)) {
      const id = ids.get(p.key)!;
      (p.exclusion ? excl : cond).add(id);
      if (!spelled.has(id)) spelled.set(id, p.value);
    }
    if (!isBehaviourField(p)) continue;
    const fid = fieldIds.get(p.canonical!)!;
    let f = fields.get(fid);
    if (!f) fields.set(fid, (f = { opMask: 0, values: new Set(), raw: new Set() }));
    f.opMask |= 1 << OP_INDEX.get(p.operator)!;
    if (p.field !== null) f.raw.add(p.field);
    if (!p.exclusion && isIndicator(p)) f.values.add(ids.get(p.key)!);
  }
  return {
    vendor: vendorBit(r.vendor),
    cond: [...cond],
    excl: [...excl],
    fields: [...fields.entries()].map(([field, f]) => ({ field, opMask: f.opMask, values: [...f.values], raw: [...f.raw] })),
    spelled,
  };
}

function factsOf(stats: CorpusStats, r: RuleRecord): RuleFacts {
  const f = stats.facts.get(r);
  if (!f) throw new Error(`rule ${r.source}/${r.slug} was not part of corpusStats`);
  return f;
}

let scratch = { count: new Int32Array(0), vmask: new Uint8Array(0) };

/**
 * The top `limit` indicator rows (conditions or exclusions) of a set of rules, each rule counted
 * once per row, ranked by rules in scope, then corpus reach, then key; `total` is the distinct count.
 */
export function indicatorTop(rules: readonly RuleRecord[], stats: CorpusStats, exclusion: boolean, limit: number): { rows: IndicatorRow[]; total: number } {
  // Counting in reusable typed arrays (reset through the touched list) instead of Maps: this runs
  // once per technique, parent roll-up and event.
  const n0 = stats.keys.length;
  if (scratch.count.length < n0) scratch = { count: new Int32Array(n0), vmask: new Uint8Array(n0) };
  const { count, vmask } = scratch;
  const touched: number[] = [];
  for (const r of rules) {
    const f = factsOf(stats, r);
    for (const id of exclusion ? f.excl : f.cond) {
      if (count[id] === 0) touched.push(id);
      count[id]!++;
      vmask[id]! |= f.vendor;
    }
  }
  const reach = exclusion ? stats.exclusionReach : stats.reach;
  // One number per row orders it: rules in scope, then reach (both descending), then key id
  // (ascending). Counts < 2^15 and ids < 2^22 keep it exact below 2^53.
  const ID_SPAN = 2 ** 22;
  const order = new Float64Array(touched.length);
  for (let i = 0; i < touched.length; i++) {
    const id = touched[i]!;
    order[i] = (count[id]! * 2 ** 15 + Math.min(reach[id]!, 2 ** 15 - 1)) * ID_SPAN + (ID_SPAN - 1 - id);
  }
  order.sort();
  const ids: number[] = [];
  for (let j = order.length - 1; j >= 0 && ids.length < limit; j--) ids.push(ID_SPAN - 1 - (order[j]! % ID_SPAN));
  const rows = ids.map((id) => {
    const n = count[id]!;
    return {
      canonical: stats.canonical[id]!,
      operator: stats.operator[id]!,
      value: stats.display[id] ?? null,
      rules: n,
      reach: reach[id] || n,
      vendors: vendorsOf(vmask[id]!),
      key: stats.keys[id]!,
    };
  });
  for (const id of touched) {
    count[id] = 0;
    vmask[id] = 0;
  }
  return { rows, total: touched.length };
}

/** Every indicator row of a set of rules (see indicatorTop). */
export function indicatorRows(rules: readonly RuleRecord[], stats: CorpusStats, exclusion: boolean): IndicatorRow[] {
  return indicatorTop(rules, stats, exclusion, Infinity).rows;
}

/** Fields filtered most by a set of rules, with operator use and sample values. */
export function fieldRows(rules: readonly RuleRecord[], stats: CorpusStats, sampleCount = 4): FieldRow[] {
  interface FAcc {
    rules: number;
    ops: Int32Array;
    values: Map<number, number>;
    raw: Map<string, Vendor>;
    vmask: number;
  }
  const acc = new Map<number, FAcc>();
  for (const r of rules) {
    const f = factsOf(stats, r);
    for (const ff of f.fields) {
      let a = acc.get(ff.field);
      if (!a) acc.set(ff.field, (a = { rules: 0, ops: new Int32Array(OPERATORS.length), values: new Map(), raw: new Map(), vmask: 0 }));
      a.rules++;
      a.vmask |= f.vendor;
      for (let i = 0; i < OPERATORS.length; i++) if (ff.opMask & (1 << i)) a.ops[i]!++;
      for (const v of ff.values) a.values.set(v, (a.values.get(v) ?? 0) + 1);
      for (const raw of ff.raw) if (!a.raw.has(raw)) a.raw.set(raw, r.vendor);
    }
  }
  return [...acc.entries()]
    .map(([fid, a]) => ({
      canonical: stats.fieldNames[fid]!,
      rules: a.rules,
      operators: Object.fromEntries(
        OPERATORS.map((op, i) => [op, a.ops[i]!] as const)
          .filter(([, n]) => n > 0)
          .sort((x, y) => y[1] - x[1] || cmp(x[0], y[0])),
      ),
      samples: topIds(a.values, sampleCount).map((id) => String(stats.display[id] ?? '')),
      raw: [...a.raw.entries()].map(([field, vendor]) => ({ field, vendor })).sort((x, y) => cmp(x.field, y.field)),
      vendors: vendorsOf(a.vmask),
    }))
    .sort((a, b) => b.rules - a.rules || cmp(a.canonical, b.canonical));
}

/** The k ids with the highest counts (ties: lower id first), without sorting the whole map. */
function topIds(counts: Map<number, number>, k: number): number[] {
  const top: [number, number][] = [];
  for (const [id, n] of counts) {
    if (top.length === k) {
      const last = top[k - 1]!;
      if (n < last[1] || (n === last[1] && id > last[0])) continue;
    }
    let i = top.length;
    while (i > 0 && (top[i - 1]![1] < n || (top[i - 1]![1] === n && top[i - 1]![0] > id))) i--;
    top.splice(i, 0, [id, n]);
    if (top.length > k) top.pop();
  }
  return top.map(([id]) => id);
}

/** Distinct indicators of one rule, in predicate order, with corpus reach, for its page. */
export function ruleIndicators(predicates: readonly Predicate[], stats: CorpusStats, vendor: Vendor) {
  const out: (IndicatorRow & { exclusion: boolean })[] = [];
  const seen = new Set<string>();
  for (const p of predicates) {
    if (!isIndicator(p)) continue;
    const k = (p.exclusion ? 'x' : 'c') + p.key;
    if (seen.has(k)) continue;
    seen.add(k);
    const id = stats.ids.get(p.key)!;
    const reach = (p.exclusion ? stats.exclusionReach : stats.reach)[id] || 1;
    out.push({ canonical: p.canonical!, operator: p.operator, value: p.value, rules: 1, reach, vendors: [vendor], key: p.key, exclusion: p.exclusion });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
