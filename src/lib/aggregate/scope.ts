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

/**
 * What aggregates need of one rule, in plain data (strings, no ids), computed from its predicates
 * once. The incremental index stores it per rule so that a warm run aggregates without decoding
 * predicates; `ruleFactsData` is the one place it is derived, for cold and warm runs alike.
 */
export interface RuleFactsData {
  /** Distinct indicators by (polarity, key), in predicate order: key, canonical, operator, value as written, exclusion. */
  ind: [key: string, canonical: string, operator: Operator, value: Scalar, exclusion: boolean][];
  /** Behaviour fields in first-use order: canonical, operator bit mask, raw names, condition indicator keys. */
  fields: [canonical: string, opMask: number, raw: string[], values: string[]][];
}

/** The aggregate facts of one rule's predicates (see RuleFactsData). */
export function ruleFactsData(predicates: readonly Predicate[]): RuleFactsData {
  const ind: RuleFactsData['ind'] = [];
  const seen = new Set<string>();
  const fields = new Map<string, { opMask: number; raw: Set<string>; values: Set<string> }>();
  for (const p of predicates) {
    const indicator = isIndicator(p);
    if (indicator) {
      const k = (p.exclusion ? 'x' : 'c') + p.key;
      if (!seen.has(k)) {
        seen.add(k);
        ind.push([p.key, p.canonical!, p.operator, p.value, p.exclusion]);
      }
    }
    if (!isBehaviourField(p)) continue;
    let f = fields.get(p.canonical!);
    if (!f) fields.set(p.canonical!, (f = { opMask: 0, raw: new Set(), values: new Set() }));
    f.opMask |= 1 << OP_INDEX.get(p.operator)!;
    if (p.field !== null) f.raw.add(p.field);
    if (!p.exclusion && indicator) f.values.add(p.key);
  }
  return { ind, fields: [...fields.entries()].map(([c, f]) => [c, f.opMask, [...f.raw], [...f.values]]) };
}

/** A behaviour field of one rule: the operators it uses there and its distinct condition values. */
interface FieldFact {
  field: number;
  opMask: number;
  values: number[];
  raw: string[];
}

/**
 * RuleFactsData with interned ids: every scope (technique, parent roll-up, event, catalog) then
 * only counts small integers instead of re-walking predicates.
 */
interface RuleFacts {
  vendor: number;
  cond: number[];
  excl: number[];
  fields: FieldFact[];
  /** Distinct indicator keys of the rule (either polarity) with their first written value. */
  spelled: Map<number, Scalar>;
  data: RuleFactsData;
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
 * string order, so output is stable). `dataOf` gives a rule's facts when they are known already
 * (the incremental index keeps them); by default they are derived from its predicates.
 */
export function corpusStats(rules: readonly RuleRecord[], dataOf: (r: RuleRecord) => RuleFactsData = (r) => ruleFactsData(r.predicates)): CorpusStats {
  // Intern keys in string order so that id order == key order (stable tie-breaks).
  const keyInfo = new Map<string, { canonical: string; operator: Operator }>();
  const fieldSet = new Set<string>();
  const datas: RuleFactsData[] = new Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const d = (datas[i] = dataOf(rules[i]!));
    for (const [key, canonical, operator] of d.ind) if (!keyInfo.has(key)) keyInfo.set(key, { canonical, operator });
    for (const f of d.fields) fieldSet.add(f[0]);
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

  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const f = internFacts(datas[i]!, r.vendor, ids, fieldIds);
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

function internFacts(data: RuleFactsData, vendor: Vendor, ids: Map<string, number>, fieldIds: Map<string, number>): RuleFacts {
  const cond: number[] = [];
  const excl: number[] = [];
  const spelled = new Map<number, Scalar>();
  for (const [key, , , value, exclusion] of data.ind) {
    const id = ids.get(key)!;
    (exclusion ? excl : cond).push(id);
    if (!spelled.has(id)) spelled.set(id, value);
  }
  return {
    vendor: vendorBit(vendor),
    cond,
    excl,
    fields: data.fields.map(([c, opMask, raw, values]) => ({ field: fieldIds.get(c)!, opMask, values: values.map((k) => ids.get(k)!), raw })),
    spelled,
    data,
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
export function ruleIndicators(r: RuleRecord, stats: CorpusStats): (IndicatorRow & { exclusion: boolean })[] {
  const vendors = [r.vendor];
  return factsOf(stats, r).data.ind.map(([key, canonical, operator, value, exclusion]) => {
    const id = stats.ids.get(key)!;
    const reach = (exclusion ? stats.exclusionReach : stats.reach)[id] || 1;
    return { canonical, operator, value, rules: 1, reach, vendors: [...vendors], key, exclusion };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
