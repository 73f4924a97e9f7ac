import type { ChangeKind, ChangeSet, ChangeSnapshot, ListDiff, NewIndicator, RuleChange, SnapshotRule, SourceChanges, TechniqueChanges } from './types.js';
import { cmp } from './snapshot.js';

export interface DiffOptions {
  /** Technique ID -> name, for the techniques the site has pages for (others are not listed). */
  techniqueNames: ReadonlyMap<string, string>;
  /** Predicate lines kept per list in one rule change (bounds the page and feeds for huge rules). */
  maxLines?: number;
  /** New indicators listed per technique (all are counted). */
  maxIndicators?: number;
}

const KIND_ORDER: Record<ChangeKind, number> = { added: 0, changed: 1, removed: 2 };

/**
 * Compare two builds: per source, the commit range and the rules added, removed and changed (with
 * predicate, technique and event diffs); per technique, the rule changes under it and the condition
 * values no rule under it checked before. Rules are matched by source and slug. `prev` null is a
 * first build: nothing is listed. Output is sorted and depends on the snapshots only.
 */
export function diffSnapshots(prev: ChangeSnapshot | null, next: ChangeSnapshot, opts: DiffOptions): ChangeSet {
  const maxLines = opts.maxLines ?? 100;
  const prevSources = new Map((prev?.sources ?? []).map((s) => [s.id, s]));
  const nextSources = new Map(next.sources.map((s) => [s.id, s]));
  const ids = [...new Set([...prevSources.keys(), ...nextSources.keys()])].sort(cmp);
  const prevRules = groupBySource(prev?.rules ?? []);
  const nextRules = groupBySource(next.rules);
  const sources: SourceChanges[] = [];
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const id of ids) {
    const before = prevSources.get(id);
    const after = nextSources.get(id);
    const info = after ?? before!;
    const rules = prev ? diffRules(prevRules.get(id) ?? new Map(), nextRules.get(id) ?? new Map(), maxLines) : [];
    const sc: SourceChanges = {
      id,
      title: info.title,
      repo: after?.repo ?? before?.repo ?? null,
      from: before?.commit ?? null,
      to: after?.commit ?? null,
      status: !prev ? 'same' : !before ? 'new' : !after ? 'gone' : 'same',
      added: rules.filter((r) => r.kind === 'added').length,
      removed: rules.filter((r) => r.kind === 'removed').length,
      changed: rules.filter((r) => r.kind === 'changed').length,
      rules,
    };
    counts.added += sc.added;
    counts.removed += sc.removed;
    counts.changed += sc.changed;
    sources.push(sc);
  }
  return {
    format: 1,
    buildDate: next.buildDate,
    previousBuildDate: prev?.buildDate ?? null,
    firstBuild: prev === null,
    attackVersion: { before: prev?.attackVersion ?? null, after: next.attackVersion },
    counts,
    sources,
    techniques: prev ? techniqueChanges(prev, next, sources, opts) : [],
  };
}

function groupBySource(rules: readonly SnapshotRule[]): Map<string, Map<string, SnapshotRule>> {
  const out = new Map<string, Map<string, SnapshotRule>>();
  for (const r of rules) {
    let m = out.get(r.source);
    if (!m) out.set(r.source, (m = new Map()));
    m.set(r.slug, r);
  }
  return out;
}

function diffRules(before: Map<string, SnapshotRule>, after: Map<string, SnapshotRule>, maxLines: number): RuleChange[] {
  const out: RuleChange[] = [];
  for (const [slug, r] of after) {
    const old = before.get(slug);
    if (!old) {
      const lines = [...r.predicates];
      const change: RuleChange = { kind: 'added', rule: summary(r), predicates: { added: lines.slice(0, maxLines), removed: [] } };
      if (lines.length > maxLines) change.truncated = lines.length - maxLines;
      if (r.techniques.length > 0) change.techniques = { added: r.techniques, removed: [] };
      if (r.events.length > 0) change.events = { added: r.events, removed: [] };
      out.push(change);
      continue;
    }
    const change: RuleChange = { kind: 'changed', rule: summary(r) };
    let differs = false;
    if (old.title !== r.title) {
      change.previousTitle = old.title;
      differs = true;
    }
    const preds = multisetDiff(old.predicates, r.predicates);
    if (preds.added.length > 0 || preds.removed.length > 0) {
      const extra = Math.max(0, preds.added.length - maxLines) + Math.max(0, preds.removed.length - maxLines);
      change.predicates = { added: preds.added.slice(0, maxLines), removed: preds.removed.slice(0, maxLines) };
      if (extra > 0) change.truncated = extra;
      differs = true;
    }
    const techniques = setDiff(old.techniques, r.techniques);
    if (techniques) (change.techniques = techniques), (differs = true);
    const events = setDiff(old.events, r.events);
    if (events) (change.events = events), (differs = true);
    if (old.deprecated !== r.deprecated) (change.deprecated = { before: old.deprecated, after: r.deprecated }), (differs = true);
    if (differs) out.push(change);
  }
  for (const [slug, r] of before) if (!after.has(slug)) out.push({ kind: 'removed', rule: summary(r) });
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.rule.slug, b.rule.slug));
}

function summary(r: SnapshotRule): RuleChange['rule'] {
  return { source: r.source, id: r.id, slug: r.slug, title: r.title, path: r.path, techniques: r.techniques };
}

/** Lines added and removed, counting duplicates (a rule may repeat a predicate in two branches). */
export function multisetDiff(before: readonly string[], after: readonly string[]): ListDiff {
  const counts = new Map<string, number>();
  for (const l of before) counts.set(l, (counts.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after) {
    const n = counts.get(l) ?? 0;
    if (n > 0) counts.set(l, n - 1);
    else added.push(l);
  }
  const removed: string[] = [];
  for (const [l, n] of counts) for (let i = 0; i < n; i++) removed.push(l);
  return { added: added.sort(cmp), removed: removed.sort(cmp) };
}

function setDiff(before: readonly string[], after: readonly string[]): ListDiff | null {
  const b = new Set(before);
  const a = new Set(after);
  const added = [...a].filter((x) => !b.has(x)).sort(cmp);
  const removed = [...b].filter((x) => !a.has(x)).sort(cmp);
  return added.length > 0 || removed.length > 0 ? { added, removed } : null;
}

/** A rule on a sub-technique also counts under its parent, as on the technique pages. */
export function techniqueScopes(techniques: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of techniques) {
    out.add(t);
    const dot = t.indexOf('.');
    if (dot > 0) out.add(t.slice(0, dot));
  }
  return [...out];
}

function techniqueChanges(prev: ChangeSnapshot, next: ChangeSnapshot, sources: SourceChanges[], opts: DiffOptions): TechniqueChanges[] {
  const maxIndicators = opts.maxIndicators ?? 50;
  const byId = new Map<string, TechniqueChanges>();
  const entry = (id: string): TechniqueChanges | null => {
    const name = opts.techniqueNames.get(id);
    if (name === undefined) return null;
    let t = byId.get(id);
    if (!t) byId.set(id, (t = { id, name, rules: [], newIndicators: [], newIndicatorCount: 0 }));
    return t;
  };
  const prevRules = new Map(prev.rules.map((r) => [`${r.source}\0${r.slug}`, r]));
  for (const s of sources) {
    for (const c of s.rules) {
      const old = prevRules.get(`${c.rule.source}\0${c.rule.slug}`);
      for (const id of techniqueScopes([...c.rule.techniques, ...(old?.techniques ?? [])])) {
        entry(id)?.rules.push({ source: c.rule.source, slug: c.rule.slug, kind: c.kind, title: c.rule.title });
      }
    }
  }
  // Condition keys each technique had before; a key under a technique now that was not is new.
  const known = new Map<string, Set<string>>();
  for (const r of prev.rules) {
    if (r.deprecated) continue;
    for (const id of techniqueScopes(r.techniques)) {
      let s = known.get(id);
      if (!s) known.set(id, (s = new Set()));
      for (const [key] of r.indicators) s.add(key);
    }
  }
  const fresh = new Map<string, Map<string, NewIndicator>>();
  for (const r of next.rules) {
    if (r.deprecated) continue;
    for (const id of techniqueScopes(r.techniques)) {
      if (!opts.techniqueNames.has(id)) continue;
      const had = known.get(id);
      for (const [key, line] of r.indicators) {
        if (had?.has(key)) continue;
        let m = fresh.get(id);
        if (!m) fresh.set(id, (m = new Map()));
        let ni = m.get(key);
        if (!ni) m.set(key, (ni = { key, text: r.predicates[line] ?? key, rules: [] }));
        ni.rules.push({ source: r.source, slug: r.slug, title: r.title });
      }
    }
  }
  for (const [id, m] of fresh) {
    const t = entry(id)!;
    const all = [...m.values()].sort((a, b) => b.rules.length - a.rules.length || cmp(a.key, b.key));
    t.newIndicators = all.slice(0, maxIndicators);
    t.newIndicatorCount = all.length;
  }
  const out = [...byId.values()].sort((a, b) => cmp(a.id, b.id));
  for (const t of out) t.rules.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.source, b.source) || cmp(a.slug, b.slug));
  return out;
}
