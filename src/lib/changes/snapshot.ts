import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SiteIndex } from '../aggregate/types.js';
import { isIndicator, predicateKey, type Predicate } from '../normalize/predicate.js';
import { safeSegment } from '../site/urls.js';
import type { ChangeSnapshot, SnapshotRule } from './types.js';

/** The predicate fields a line is made of: what `RuleRecord.predicates` and `api/rules/*.json` both hold. */
export type PredicateLike = Pick<
  Predicate,
  'field' | 'canonical' | 'operator' | 'value' | 'exclusion' | 'step' | 'derived' | 'caseSensitive' | 'dialect' | 'flags' | 'transforms'
>;

/**
 * One predicate as a readable, comparable line: `not process.executable (Image) wildcard "*\cmd.exe"`.
 * Two builds' lines are compared as multisets, so everything that changes matching is in the line
 * (polarity, step, field as written, operator, value, case, transforms, regex dialect).
 */
export function predicateLine(p: PredicateLike): string {
  let s = p.step !== undefined ? `step ${p.step}: ` : '';
  if (p.exclusion) s += 'not ';
  s += p.canonical ?? p.field ?? '(keyword)';
  if (p.field !== null && p.field !== p.canonical) s += ` (${p.field})`;
  if (p.derived) s += ' (derived)';
  s += ` ${p.operator} ${typeof p.value === 'string' ? `"${p.value}"` : String(p.value)}`;
  if (p.caseSensitive) s += ' cased';
  if (p.transforms && p.transforms.length > 0) s += ` |${p.transforms.join('|')}`;
  if (p.dialect) s += ` (${p.dialect}${p.flags ? ` ${p.flags}` : ''})`;
  return s;
}

function snapshotRule(
  r: { source: string; id: string; slug: string; title: string; path: string; deprecated: boolean; techniques: string[]; events: string[] },
  predicates: readonly (PredicateLike & { key: string })[],
): SnapshotRule {
  const indicators: [string, number][] = [];
  const seen = new Set<string>();
  predicates.forEach((p, i) => {
    if (p.exclusion || seen.has(p.key) || !isIndicator(p as Predicate)) return;
    seen.add(p.key);
    indicators.push([p.key, i]);
  });
  indicators.sort((a, b) => cmp(a[0], b[0]));
  return {
    source: r.source,
    id: r.id,
    slug: r.slug,
    title: r.title,
    path: r.path,
    deprecated: r.deprecated,
    techniques: [...r.techniques].sort(),
    events: [...r.events].sort(),
    predicates: predicates.map(predicateLine),
    indicators,
  };
}

/** Reduce a built index to its snapshot. */
export function snapshotOf(index: SiteIndex): ChangeSnapshot {
  return {
    format: 1,
    buildDate: index.buildDate,
    attackVersion: index.attackVersion,
    sources: index.sources.map((s) => ({ id: s.id, title: s.title, repo: s.repo, commit: s.commit })).sort((a, b) => cmp(a.id, b.id)),
    rules: index.rules.map((r) => snapshotRule(r, r.predicates)).sort(compareRules),
  };
}

/** Read a snapshot file; null when missing or not a snapshot of this format. */
export function readSnapshot(file: string): ChangeSnapshot | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ChangeSnapshot;
    return data && data.format === 1 && Array.isArray(data.rules) && Array.isArray(data.sources) ? data : null;
  } catch {
    return null;
  }
}

export function writeSnapshot(file: string, snapshot: ChangeSnapshot): void {
  writeJsonAtomic(file, snapshot);
}

/**
 * Rebuild a snapshot from a previous build's JSON API (`dist/api/`: report.json, index.json and
 * rules/<source>/<slug>.json), for a deployment that keeps its last site but not `.cache/`.
 * Null when the folder holds no API; rules whose file is missing are skipped.
 */
export function snapshotFromApi(apiDir: string): ChangeSnapshot | null {
  interface ApiReport { buildDate: string; attackVersion: string; sources: { id: string; commit: string | null }[] }
  interface ApiIndex { rules: { source: string; id: string; slug: string; title: string; techniques: string[]; deprecated: boolean }[] }
  interface ApiRule { path: string; events: string[]; predicates: PredicateLike[] }
  let report: ApiReport;
  let index: ApiIndex;
  try {
    report = JSON.parse(readFileSync(join(apiDir, 'report.json'), 'utf8')) as ApiReport;
    index = JSON.parse(readFileSync(join(apiDir, 'index.json'), 'utf8')) as ApiIndex;
  } catch {
    return null;
  }
  if (!Array.isArray(report?.sources) || !Array.isArray(index?.rules)) return null;
  const rules: SnapshotRule[] = [];
  for (const r of index.rules) {
    const file = join(apiDir, 'rules', safeSegment(r.source), `${r.slug}.json`);
    if (!existsSync(file)) continue;
    let rule: ApiRule;
    try {
      rule = JSON.parse(readFileSync(file, 'utf8')) as ApiRule;
    } catch {
      continue;
    }
    const preds = (rule.predicates ?? []).map((p) => ({ ...p, key: predicateKey(p.canonical, p.operator, p.value, p.transforms) }));
    rules.push(snapshotRule({ ...r, path: rule.path ?? '', events: rule.events ?? [] }, preds));
  }
  return {
    format: 1,
    buildDate: report.buildDate,
    attackVersion: report.attackVersion,
    sources: report.sources.map((s) => ({ id: s.id, title: s.id, repo: null, commit: s.commit ?? null })).sort((a, b) => cmp(a.id, b.id)),
    rules: rules.sort(compareRules),
  };
}

export function compareRules(a: { source: string; slug: string }, b: { source: string; slug: string }): number {
  return cmp(a.source, b.source) || cmp(a.slug, b.slug);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Write JSON through a temp file and a rename: an interrupted build never leaves half a file. */
export function writeJsonAtomic(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}
