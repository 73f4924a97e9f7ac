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
  return {
    ind,
    fields: [...fields.entries()].map(([c, f]) => [c, f.opMask, [...f.raw], [...f.values]]),
  };
}

/**
 * Interned strings and values of coded facts: a rule's RuleFactsData as one Int32Array of table
 * indices (see `encode`). Aggregates read coded facts directly, and the incremental index stores
 * them as they are, so a warm run neither parses nor re-interns strings per predicate.
 */
export class FactsTable {
  private sIds: Map<string, number> | null = null;
  private vIds: Map<string, number> | null = null;
  /** With `extend`: string indices of keys in string order (found by binary search, not in sIds). */
  private sortedKeys: Int32Array | null = null;
  /** With `extend`: values are appended, not looked up (see there). */
  private appendValues = false;

  constructor(
    readonly strings: string[] = [],
    readonly values: Scalar[] = [],
  ) {}

  /**
   * A table to add a few rules' facts to (a warm run), without indexing all of it first: keys
   * (strings with a NUL) are found by binary search in `sortedKeys` (a previous run's keys, in
   * string order), other strings through a map of the few that are not such keys. Values are not
   * deduplicated: an equal value under a second index reads and ranks the same (spellings compare
   * as strings, display values by value).
   */
  static extend(strings: string[], values: Scalar[], sortedKeys: Int32Array): FactsTable {
    const t = new FactsTable(strings, values);
    t.sortedKeys = sortedKeys;
    t.appendValues = true;
    const isKey = new Uint8Array(strings.length);
    for (const si of sortedKeys) if (si < strings.length) isKey[si] = 1;
    t.sIds = new Map();
    for (let i = 0; i < strings.length; i++) if (!isKey[i]) t.sIds.set(strings[i]!, i);
    return t;
  }

  str(s: string): number {
    if (!this.sIds) {
      this.sIds = new Map();
      for (let i = 0; i < this.strings.length; i++) this.sIds.set(this.strings[i]!, i);
    }
    let id = this.sIds.get(s);
    if (id === undefined && this.sortedKeys && s.includes('\0')) id = this.findKey(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.sIds.set(s, id);
    }
    return id;
  }

  private findKey(s: string): number | undefined {
    const keys = this.sortedKeys!;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.strings[keys[mid]!]!;
      if (m === s) return keys[mid]!;
      if (m < s) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  val(v: Scalar): number {
    if (this.appendValues) {
      this.values.push(v);
      return this.values.length - 1;
    }
    if (!this.vIds) {
      this.vIds = new Map();
      for (let i = 0; i < this.values.length; i++) this.vIds.set(valueKey(this.values[i]!), i);
    }
    const k = valueKey(v);
    let id = this.vIds.get(k);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.vIds.set(k, id);
    }
    return id;
  }

  /** [nInd, (key, canonical, operator, value, exclusion) x nInd, nFields, (canonical, opMask, nRaw, raw..., nValues, key...) x nFields] */
  encode(data: RuleFactsData): Int32Array {
    const out: number[] = [data.ind.length];
    for (const [key, canonical, operator, value, exclusion] of data.ind) out.push(this.str(key), this.str(canonical), this.str(operator), this.val(value), exclusion ? 1 : 0);
    out.push(data.fields.length);
    for (const [canonical, opMask, raw, values] of data.fields) {
      out.push(this.str(canonical), opMask, raw.length);
      for (const r of raw) out.push(this.str(r));
      out.push(values.length);
      for (const k of values) out.push(this.str(k));
    }
    return Int32Array.from(out);
  }

  decode(c: Int32Array): RuleFactsData {
    const S = this.strings;
    let o = 0;
    const ind: RuleFactsData['ind'] = [];
    for (let n = c[o++]!; n > 0; n--, o += 5) ind.push([S[c[o]!]!, S[c[o + 1]!]!, S[c[o + 2]!]! as Operator, this.values[c[o + 3]!]!, c[o + 4] === 1]);
    const fields: RuleFactsData['fields'] = [];
    for (let n = c[o++]!; n > 0; n--) {
      const canonical = S[c[o++]!]!;
      const opMask = c[o++]!;
      const raw: string[] = [];
      for (let m = c[o++]!; m > 0; m--) raw.push(S[c[o++]!]!);
      const values: string[] = [];
      for (let m = c[o++]!; m > 0; m--) values.push(S[c[o++]!]!);
      fields.push([canonical, opMask, raw, values]);
    }
    return { ind, fields };
  }
}

/** Identity of a value in the table: 1 and '1' differ, -0 and 0 differ. */
export function valueKey(v: Scalar): string {
  return typeof v === 'string' ? 's' + v : typeof v === 'number' ? 'n' + (Object.is(v, -0) ? '-0' : String(v)) : 'o' + String(v);
}

/**
 * One rule as the aggregates read it: its coded facts (string indices, see FactsTable.encode),
 * translated to key and field ids through CorpusStats.keyId / fieldId while counting, so no
 * per-rule objects are made. Every scope then only counts small integers.
 */
interface RuleFacts {
  vendor: number;
  c: Int32Array;
  /** Offset of the fields part in `c`. */
  fieldsAt: number;
}

/** Corpus-wide facts every scope needs: interned keys, reach per key, the preferred spelling. */
export interface CorpusStats {
  keys: string[];
  canonical: string[];
  operator: Operator[];
  reach: Int32Array;
  exclusionReach: Int32Array;
  display: Scalar[];
  fieldNames: string[];
  facts: WeakMap<RuleRecord, RuleFacts>;
  /** Vendors (bit mask) of the active rules using each key as a condition. */
  condVendors: Uint8Array;
  /** Field id of each key's canonical field (-1 when it is not a behaviour field). */
  keyField: Int32Array;
  /** Key id of a table string (-1: not a key); field id likewise. */
  keyId: Int32Array;
  fieldId: Int32Array;
  /** The tables and each rule's coded facts (what the incremental index stores). */
  table: FactsTable;
  coded: WeakMap<RuleRecord, Int32Array>;
  /** Table string index of each key id (keys in sorted order). */
  keyStrings: Int32Array;
  /** Table value index of each key's display value (-1: none). */
  displayValues: Int32Array;
}

/** Where corpusStats takes coded facts from when they are known already (a warm run). */
export interface CodedSource {
  table: FactsTable;
  codedOf: (r: RuleRecord) => Int32Array;
  /** String indices of keys in sorted order (a previous run's CorpusStats.keyStrings): taken as sorted, new keys merged in. */
  keyOrder?: Int32Array;
}

/**
 * One pass over all rules: intern keys and fields, count how many active rules use each key as a
 * condition and as an exclusion, and the most common written form of each value (ties broken by
 * string order, so output is stable). Facts come from `source` when given (the incremental index
 * keeps them), else from each rule's predicates.
 */
export function corpusStats(rules: readonly RuleRecord[], source?: CodedSource): CorpusStats {
  const table = source?.table ?? new FactsTable();
  const coded = new WeakMap<RuleRecord, Int32Array>();
  const codes: Int32Array[] = new Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const c = source ? source.codedOf(r) : table.encode(ruleFactsData(r.predicates));
    codes[i] = c;
    coded.set(r, c);
  }
  const S = table.strings;
  const nS = S.length;
  // Which strings are keys (with their canonical and operator) and which are fields.
  const keyCanon = new Int32Array(nS).fill(-1);
  const keyOp = new Int32Array(nS);
  const isField = new Uint8Array(nS);
  for (const c of codes) {
    let o = 0;
    for (let n = c[o++]!; n > 0; n--, o += 5) {
      keyCanon[c[o]!] = c[o + 1]!;
      keyOp[c[o]!] = c[o + 2]!;
    }
    for (let n = c[o++]!; n > 0; n--) {
      isField[c[o]!] = 1;
      o += 2;
      o += c[o]! + 1;
      o += c[o]! + 1;
    }
  }
  // Keys in string order (id order == key order, for stable tie-breaks), from the hint first.
  const head: number[] = [];
  const placed = new Uint8Array(nS);
  if (source?.keyOrder) for (const si of source.keyOrder) if (si < nS && keyCanon[si]! >= 0 && !placed[si]) ((placed[si] = 1), head.push(si));
  const tail: number[] = [];
  for (let si = 0; si < nS; si++) if (keyCanon[si]! >= 0 && !placed[si]) tail.push(si);
  const byString = (a: number, b: number): number => cmp(S[a]!, S[b]!);
  const order = mergeSorted(source?.keyOrder ? head : head.sort(byString), tail.sort(byString), byString);
  const keyId = new Int32Array(nS).fill(-1);
  order.forEach((si, id) => (keyId[si] = id));
  const keys = order.map((si) => S[si]!);
  const canonical = order.map((si) => S[keyCanon[si]!]!);
  const operator = order.map((si) => S[keyOp[si]!]! as Operator);
  const fieldOrder: number[] = [];
  for (let si = 0; si < nS; si++) if (isField[si]) fieldOrder.push(si);
  fieldOrder.sort((a, b) => cmp(S[a]!, S[b]!));
  const fieldId = new Int32Array(nS).fill(-1);
  fieldOrder.forEach((si, id) => (fieldId[si] = id));
  const fieldNames = fieldOrder.map((si) => S[si]!);
  const nK = keys.length;
  const keyField = Int32Array.from(order, (si) => fieldId[keyCanon[si]!]!);
  const reach = new Int32Array(nK);
  const exclusionReach = new Int32Array(nK);
  const condVendors = new Uint8Array(nK);
  // Spellings: each active rule votes once per key with its first written form (String(value)).
  // Most keys have a single spelling, so a Map is only made when a second one shows up.
  const V = table.values;
  // firstValue: the value index of the first spelling of each key (-1: none yet); votes for other
  // spellings (by String(value)) go to `more`.
  const firstValue = new Int32Array(nK).fill(-1);
  const firstCount = new Int32Array(nK);
  const more = new Map<number, Map<string, { value: number; n: number }>>();
  const facts = new WeakMap<RuleRecord, RuleFacts>();
  // seen[id] === stamp while reading one rule: its first spelling of a key votes once.
  const seen = new Int32Array(nK);
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const c = codes[i]!;
    const vbit = vendorBit(r.vendor);
    facts.set(r, { vendor: vbit, c, fieldsAt: 1 + 5 * c[0]! });
    if (r.deprecated) continue;
    const stamp = i + 1;
    let o = 1;
    for (let n = c[0]!; n > 0; n--, o += 5) {
      const id = keyId[c[o]!]!;
      if (c[o + 4] === 1) exclusionReach[id]!++;
      else {
        reach[id]!++;
        condVendors[id]! |= vbit;
      }
      if (seen[id] === stamp) continue;
      seen[id] = stamp;
      const vi = c[o + 3]!;
      const fv = firstValue[id]!;
      if (fv === -1) {
        firstValue[id] = vi;
        firstCount[id] = 1;
      } else if (fv === vi || String(V[fv]) === String(V[vi])) {
        firstCount[id]!++;
      } else {
        const sp = String(V[vi]);
        let m = more.get(id);
        if (!m) more.set(id, (m = new Map()));
        const e = m.get(sp);
        if (e) e.n++;
        else m.set(sp, { value: vi, n: 1 });
      }
    }
  }
  const displayValues = new Int32Array(nK).fill(-1);
  displayValues.set(firstValue);
  for (const [id, m] of more) {
    let best = {
      s: String(V[firstValue[id]!]),
      value: firstValue[id]!,
      n: firstCount[id]!,
    };
    for (const [str, e] of m) if (e.n > best.n || (e.n === best.n && str < best.s)) best = { s: str, value: e.value, n: e.n };
    displayValues[id] = best.value;
  }
  // Keys used only by deprecated rules still need a display value for their own rule pages.
  for (let i = 0; i < rules.length; i++) {
    if (!rules[i]!.deprecated) continue;
    const c = codes[i]!;
    const stamp = rules.length + i + 1;
    let o = 1;
    for (let n = c[0]!; n > 0; n--, o += 5) {
      const id = keyId[c[o]!]!;
      if (seen[id] === stamp) continue;
      seen[id] = stamp;
      // (A key shown as null counts as unset, as when display values were kept as Scalars.)
      if (firstValue[id] === -1 && (displayValues[id] === -1 || V[displayValues[id]!] === null)) displayValues[id] = c[o + 3]!;
    }
  }
  const display: Scalar[] = Array.from(displayValues, (vi) => (vi === -1 ? null : (V[vi] ?? null)));
  const keyStrings = Int32Array.from(order);
  return {
    keys,
    condVendors,
    keyField,
    canonical,
    operator,
    reach,
    exclusionReach,
    display,
    fieldNames,
    facts,
    keyId,
    fieldId,
    table,
    coded,
    keyStrings,
    displayValues,
  };
}

/** Merge two sorted lists (a long one and usually a short one). */
function mergeSorted<T>(a: T[], b: T[], by: (x: T, y: T) => number): T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: T[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = by(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
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
  const keyId = stats.keyId;
  const touched: number[] = [];
  for (const r of rules) {
    const f = factsOf(stats, r);
    const c = f.c;
    const want = exclusion ? 1 : 0;
    let o = 1;
    for (let n = c[0]!; n > 0; n--, o += 5) {
      if (c[o + 4] !== want) continue;
      const id = keyId[c[o]!]!;
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
    /** Condition values seen (key ids); their counts are in `valueCount`. */
    values: number[];
    raw: Map<string, Vendor>;
    vmask: number;
  }
  // A key belongs to one field, so one counter array serves every field (reset through `values`).
  if (valueScratch.length < stats.keys.length) valueScratch = new Int32Array(stats.keys.length);
  const valueCount = valueScratch;
  const acc = new Map<number, FAcc>();
  const { keyId, fieldId } = stats;
  const S = stats.table.strings;
  for (const r of rules) {
    const f = factsOf(stats, r);
    const c = f.c;
    let o = f.fieldsAt;
    for (let n = c[o++]!; n > 0; n--) {
      const field = fieldId[c[o++]!]!;
      const opMask = c[o++]!;
      let a = acc.get(field);
      if (!a) acc.set(field, (a = { rules: 0, ops: new Int32Array(OPERATORS.length), values: [], raw: new Map(), vmask: 0 }));
      a.rules++;
      a.vmask |= f.vendor;
      for (let i = 0; i < OPERATORS.length; i++) if (opMask & (1 << i)) a.ops[i]!++;
      for (let m = c[o++]!; m > 0; m--) {
        const raw = S[c[o++]!]!;
        if (!a.raw.has(raw)) a.raw.set(raw, r.vendor);
      }
      for (let m = c[o++]!; m > 0; m--) {
        const v = keyId[c[o++]!]!;
        if (valueCount[v] === 0) a.values.push(v);
        valueCount[v]!++;
      }
    }
  }
  const rows = [...acc.entries()].map(([fid, a]) => ({
    canonical: stats.fieldNames[fid]!,
    rules: a.rules,
    operators: Object.fromEntries(
      OPERATORS.map((op, i) => [op, a.ops[i]!] as const)
        .filter(([, n]) => n > 0)
        .sort((x, y) => y[1] - x[1] || cmp(x[0], y[0])),
    ),
    samples: topIds(a.values, valueCount, sampleCount).map((id) => String(stats.display[id] ?? '')),
    raw: [...a.raw.entries()].map(([field, vendor]) => ({ field, vendor })).sort((x, y) => cmp(x.field, y.field)),
    vendors: vendorsOf(a.vmask),
  }));
  for (const a of acc.values()) for (const v of a.values) valueCount[v] = 0;
  return rows.sort((a, b) => b.rules - a.rules || cmp(a.canonical, b.canonical));
}

let valueScratch = new Int32Array(0);

/** The k ids with the highest counts (ties: lower id first), without sorting them all. */
function topIds(ids: readonly number[], counts: Int32Array, k: number): number[] {
  const top: [number, number][] = [];
  for (const id of ids) {
    const n = counts[id]!;
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

/**
 * The catalog-wide condition indicators by canonical field, `limit` per field, ranked as
 * indicatorTop ranks them. Over all active rules a key's count is its reach, so this reads the
 * corpus stats alone: the same rows as grouping `indicatorRows(active, stats, false)` by field.
 */
export function catalogFieldValues(stats: CorpusStats, limit: number): Record<string, IndicatorRow[]> {
  const ID_SPAN = 2 ** 22;
  const ids: number[] = [];
  for (let id = 0; id < stats.keys.length; id++) if (stats.reach[id]! > 0) ids.push(id);
  const order = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const n = stats.reach[id]!;
    order[i] = (n * 2 ** 15 + Math.min(n, 2 ** 15 - 1)) * ID_SPAN + (ID_SPAN - 1 - id);
  }
  order.sort();
  const out: Record<string, IndicatorRow[]> = Object.create(null);
  for (let j = order.length - 1; j >= 0; j--) {
    const id = ID_SPAN - 1 - (order[j]! % ID_SPAN);
    const l = (out[stats.canonical[id]!] ??= []);
    if (l.length >= limit) continue;
    const n = stats.reach[id]!;
    l.push({
      canonical: stats.canonical[id]!,
      operator: stats.operator[id]!,
      value: stats.display[id] ?? null,
      rules: n,
      reach: n,
      vendors: vendorsOf(stats.condVendors[id]!),
      key: stats.keys[id]!,
    });
  }
  return out;
}

/**
 * Fields filtered most across all active rules (fieldRows over the whole catalog) in one pass of
 * integer counting: over all active rules, a value's count within its field is its key's reach.
 */
export function catalogFieldRows(active: readonly RuleRecord[], stats: CorpusStats, sampleCount: number): FieldRow[] {
  const nF = stats.fieldNames.length;
  const nOps = OPERATORS.length;
  const rulesOf = new Int32Array(nF);
  const ops = new Int32Array(nF * nOps);
  const vmask = new Uint8Array(nF);
  const raws: (Map<string, Vendor> | undefined)[] = new Array(nF);
  const { keyId, fieldId } = stats;
  const S = stats.table.strings;
  for (const r of active) {
    const f = factsOf(stats, r);
    const c = f.c;
    let o = f.fieldsAt;
    for (let n = c[o++]!; n > 0; n--) {
      const field = fieldId[c[o++]!]!;
      const opMask = c[o++]!;
      rulesOf[field]!++;
      vmask[field]! |= f.vendor;
      for (let i = 0; i < nOps; i++) if (opMask & (1 << i)) ops[field * nOps + i]!++;
      for (let m = c[o++]!; m > 0; m--) {
        const raw = S[c[o++]!]!;
        const map = (raws[field] ??= new Map());
        if (!map.has(raw)) map.set(raw, r.vendor);
      }
      o += c[o]! + 1;
    }
  }
  // Samples: a field's condition values with the highest reach (ties: lower id), as topIds picks them.
  const samples: [number, number][][] = Array.from({ length: nF }, () => []);
  for (let id = 0; id < stats.keys.length; id++) {
    const n = stats.reach[id]!;
    if (n === 0) continue;
    const fid = stats.keyField[id]!;
    if (fid < 0) continue;
    const top = samples[fid]!;
    if (top.length === sampleCount) {
      const last = top[sampleCount - 1]!;
      if (n < last[1] || (n === last[1] && id > last[0])) continue;
    }
    let i = top.length;
    while (i > 0 && (top[i - 1]![1] < n || (top[i - 1]![1] === n && top[i - 1]![0] > id))) i--;
    top.splice(i, 0, [id, n]);
    if (top.length > sampleCount) top.pop();
  }
  const rows: FieldRow[] = [];
  for (let fid = 0; fid < nF; fid++) {
    if (rulesOf[fid] === 0) continue;
    const opsOf = OPERATORS.map((op, i) => [op, ops[fid * nOps + i]!] as const)
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]));
    rows.push({
      canonical: stats.fieldNames[fid]!,
      rules: rulesOf[fid]!,
      operators: Object.fromEntries(opsOf),
      samples: samples[fid]!.map(([id]) => String(stats.display[id] ?? '')),
      raw: [...(raws[fid] ?? new Map<string, Vendor>()).entries()].map(([field, vendor]) => ({ field, vendor })).sort((x, y) => cmp(x.field, y.field)),
      vendors: vendorsOf(vmask[fid]!),
    });
  }
  return rows.sort((a, b) => b.rules - a.rules || cmp(a.canonical, b.canonical));
}

/** Distinct indicators of one rule, in predicate order, with corpus reach, for its page. */
export function ruleIndicators(r: RuleRecord, stats: CorpusStats): (IndicatorRow & { exclusion: boolean })[] {
  const c = factsOf(stats, r).c;
  const out: (IndicatorRow & { exclusion: boolean })[] = [];
  let o = 1;
  for (let n = c[0]!; n > 0; n--, o += 5) {
    const id = stats.keyId[c[o]!]!;
    const exclusion = c[o + 4] === 1;
    const reach = (exclusion ? stats.exclusionReach : stats.reach)[id] || 1;
    out.push({
      canonical: stats.canonical[id]!,
      operator: stats.operator[id]!,
      value: stats.table.values[c[o + 3]!]!,
      rules: 1,
      reach,
      vendors: [r.vendor],
      key: stats.keys[id]!,
      exclusion,
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
