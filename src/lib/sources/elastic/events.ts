import type { Catalog } from '../../catalog/load.js';
import { polarPredicates, type QueryPart } from '../../model/logic.js';
import type { ElasticBehavior, ElasticLogsourceFile, ElasticSource } from './logsources.js';

/** What one query part says about the data it reads, from its positive (non-excluded) predicates. */
export interface PartSignals {
  categories: Set<string>;
  types: Set<string>;
  actions: Set<string>;
  codes: Set<string>;
  datasets: Set<string>;
  channels: Set<string>;
  providerNames: Set<string>;
  os: Set<string>;
  fields: Set<string>;
}

/** Rule-level facts used for every part. */
export interface RuleSignals {
  indices: string[];
  tags: string[];
  /** Field that holds the EQL category (`event_category_override`), default `event.category`. */
  categoryField?: string;
}

const lower = (v: unknown): string => String(v).toLowerCase();

/** Collect the signals of one part: its EQL category and the values its predicates require. */
export function partSignals(part: QueryPart, categoryField = 'event.category'): PartSignals {
  const s: PartSignals = {
    categories: new Set(),
    types: new Set(),
    actions: new Set(),
    codes: new Set(),
    datasets: new Set(),
    channels: new Set(),
    providerNames: new Set(),
    os: new Set(),
    fields: new Set(),
  };
  const catField = categoryField.toLowerCase();
  // the EQL category is a value of the category field (`event_category_override` may make it event.type)
  if (part.category && part.category !== 'any') {
    const c = part.category.toLowerCase();
    if (catField === 'event.category') s.categories.add(c);
    else if (catField === 'event.type') s.types.add(c);
    else if (catField === 'event.action') s.actions.add(c);
  }
  for (const { pred, exclusion } of polarPredicates(part.logic)) {
    if (exclusion || pred.field === null || pred.derived) continue;
    const field = pred.field.toLowerCase();
    s.fields.add(field);
    if (pred.operator !== 'eq' || pred.value === null || typeof pred.value === 'boolean') continue;
    const v = lower(pred.value);
    if (field === catField) s.categories.add(v);
    else if (field === 'event.type') s.types.add(v);
    else if (field === 'event.action') s.actions.add(v);
    else if (field === 'event.code' || field === 'winlog.event_id') s.codes.add(v);
    else if (field === 'data_stream.dataset' || field === 'event.dataset') s.datasets.add(v);
    else if (field === 'winlog.channel') s.channels.add(v);
    else if (field === 'winlog.provider_name' || field === 'event.provider') s.providerNames.add(v);
    else if (field === 'host.os.type' || field === 'host.os.family' || field === 'host.os.platform') s.os.add(v);
  }
  return s;
}

/** Prefix of a glob pattern up to its first `*`, lower-cased; exact patterns keep a marker. */
function patternPrefix(p: string): { prefix: string; exact: boolean } {
  const star = p.indexOf('*');
  return star < 0 ? { prefix: p.toLowerCase(), exact: true } : { prefix: p.slice(0, star).toLowerCase(), exact: false };
}

/** A rule index pattern selects a source pattern when it is at least as specific (`logs-*` selects nothing). */
export function indexSelects(rulePattern: string, sourcePattern: string): boolean {
  const r = patternPrefix(rulePattern.replace(/^[^:]*:/, '')); // drop a cross-cluster prefix `cluster:`
  const s = patternPrefix(sourcePattern);
  if (s.exact) return r.exact && r.prefix === s.prefix;
  return r.prefix.startsWith(s.prefix);
}

function intersects(values: Set<string>, wanted: readonly string[]): boolean {
  for (const w of wanted) if (values.has(w.toLowerCase())) return true;
  return false;
}

/** Compiled elastic.yaml: resolves a rule's parts to catalog event keys. */
export class ElasticEventResolver {
  private readonly windowsProviders: string[];
  /** Index lists repeat across rules: sources and implied categories are computed once per list. */
  private readonly indexMemo = new Map<string, ElasticSource[]>();
  private readonly impliedMemo = new Map<string, Set<string>>();

  constructor(
    private readonly table: ElasticLogsourceFile,
    private readonly catalog: Catalog,
  ) {
    // providers named by the table first (in its order), then any other Windows provider of the catalog
    const windowsSlugs = new Set<string>();
    for (const e of catalog.events.values()) if (e.platform === 'windows') windowsSlugs.add(e.providerSlug);
    this.windowsProviders = [...new Set([...table.sources.flatMap((s) => s.providers), ...windowsSlugs])].filter((p) => windowsSlugs.has(p));
  }

  /**
   * True when the rule covers Windows hosts: its OS predicates (`host.os.type`) include windows,
   * or, without OS predicates, its tags include `OS: Windows` (cross-platform rules count).
   */
  private isWindows(rule: RuleSignals, parts: PartSignals[]): boolean {
    const os = new Set<string>();
    for (const p of parts) for (const v of p.os) os.add(v);
    if (os.size > 0) return os.has('windows');
    const osTags = rule.tags.filter((t) => /^os:\s*/i.test(t)).map((t) => t.replace(/^os:\s*/i, '').toLowerCase());
    return osTags.includes('windows');
  }

  /** Sources a part reads: named by its dataset/channel/provider values, else by the rule's index patterns. */
  private sourcesFor(rule: RuleSignals, part: PartSignals, windows: boolean): ElasticSource[] {
    const byData = this.table.sources.filter(
      (s) => intersects(part.datasets, s.datasets) || intersects(part.channels, s.channels) || intersects(part.providerNames, s.providerNames),
    );
    const chosen = byData.length > 0 ? byData : this.sourcesByIndex(rule.indices);
    return chosen.filter((s) => windows || !s.requireWindows);
  }

  /** For each rule index pattern, the sources whose pattern it selects most specifically (memoized per index list). */
  private sourcesByIndex(indices: readonly string[]): ElasticSource[] {
    const memoKey = indices.join('\u0000');
    const hit = this.indexMemo.get(memoKey);
    if (hit) return hit;
    const result = this.computeSourcesByIndex(indices);
    this.indexMemo.set(memoKey, result);
    return result;
  }

  private computeSourcesByIndex(indices: readonly string[]): ElasticSource[] {
    const out = new Set<ElasticSource>();
    for (const i of indices) {
      let best = -1;
      let found: ElasticSource[] = [];
      for (const s of this.table.sources) {
        for (const si of s.indices) {
          if (!indexSelects(i, si)) continue;
          const len = patternPrefix(si).prefix.length;
          if (len > best) {
            best = len;
            found = [s];
          } else if (len === best && !found.includes(s)) found.push(s);
        }
      }
      for (const s of found) out.add(s);
    }
    // keep the table's order, which is the order event codes are resolved in
    return this.table.sources.filter((s) => out.has(s));
  }

  private categoriesFor(rule: RuleSignals, part: PartSignals): Set<string> {
    if (part.categories.size > 0) return part.categories;
    const memoKey = rule.indices.join('\u0000');
    let implied = this.impliedMemo.get(memoKey);
    if (!implied) {
      implied = new Set<string>();
      for (const ic of this.table.indexCategories) {
        if (rule.indices.some((i) => indexSelects(i, ic.index))) for (const c of ic.categories) implied.add(c.toLowerCase());
      }
      this.impliedMemo.set(memoKey, implied);
    }
    return implied;
  }

  /**
   * Behaviors a part selects: by the fields it reads (script block text...), else by category plus
   * event.type/event.action values, else the category's default behavior.
   */
  private behaviorsFor(categories: Set<string>, part: PartSignals): ElasticBehavior[] {
    const byFields = this.table.behaviors.filter((b) => intersects(part.fields, b.fields));
    if (byFields.length > 0) return byFields;
    const chosen = this.table.behaviors.filter(
      (b) => (b.categories.length === 0 || intersects(categories, b.categories)) && (intersects(part.types, b.types) || intersects(part.actions, b.actions)),
    );
    for (const c of categories) {
      if (chosen.some((b) => b.categories.some((bc) => bc.toLowerCase() === c))) continue;
      for (const b of this.table.behaviors) if (b.default && b.categories.some((bc) => bc.toLowerCase() === c)) chosen.push(b);
    }
    return chosen;
  }

  /** Catalog event keys for a rule, in catalog order of discovery, deduplicated. */
  resolve(rule: RuleSignals, parts: readonly QueryPart[]): string[] {
    const signals = parts.map((p) => partSignals(p, rule.categoryField));
    const windows = this.isWindows(rule, signals);
    const out = new Set<string>();
    for (const part of signals) {
      const sources = this.sourcesFor(rule, part, windows);
      let providers = [...new Set(sources.flatMap((s) => s.providers))];
      if (part.codes.size > 0) {
        if (providers.length === 0 && windows) providers = this.windowsProviders;
        for (const code of part.codes) {
          if (!/^\d+$/.test(code)) continue;
          // the first provider (in table order) that has this event ID: 4104 is PowerShell, 4688 Security
          const key = providers.map((p) => `${p}-${Number(code)}`).find((k) => this.catalog.events.has(k));
          if (key) out.add(key);
        }
        continue;
      }
      if (providers.length === 0) continue;
      for (const b of this.behaviorsFor(this.categoriesFor(rule, part), part)) {
        for (const key of b.events) {
          const ev = this.catalog.events.get(key);
          if (ev && providers.includes(ev.providerSlug)) out.add(key);
        }
      }
    }
    return [...out];
  }
}
