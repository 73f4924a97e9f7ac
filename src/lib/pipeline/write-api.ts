import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SiteIndex, RuleRecord } from '../aggregate/types.js';
import { safeSegment } from '../site/urls.js';

/**
 * The JSON API: the same files the site publishes under `dist/api/` and `npm run index --out` writes.
 * Shapes are documented in README.md ("JSON API"). Output is deterministic: fixed key order from
 * the records, sorted lists, no timestamps but the build date.
 */
export function writeApi(index: SiteIndex, outDir: string): number {
  rmSync(outDir, { recursive: true, force: true });
  let files = 0;
  const write = (rel: string, data: unknown): void => {
    const abs = join(outDir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, JSON.stringify(data) + '\n');
    files++;
  };
  write('report.json', {
    buildDate: index.buildDate,
    attackVersion: index.attackVersion,
    sources: index.sources.map((s) => ({
      id: s.id,
      format: s.format,
      commit: s.commit,
      files: s.files,
      rules: s.rules,
      published: s.published,
      noQuery: s.noQuery,
      failed: s.failed,
      byLanguage: s.byLanguage,
      diagnostics: s.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message, hint: d.hint })),
    })),
  });
  write('index.json', {
    buildDate: index.buildDate,
    attackVersion: index.attackVersion,
    rules: index.rules.map((r) => ({ source: r.source, id: r.id, slug: r.slug, title: r.title, techniques: r.techniques, deprecated: r.deprecated })),
    techniques: index.techniques.map((t) => ({ id: t.id, name: t.name, rules: t.rules.length, rollupRules: t.rollupRules.length })),
    events: index.events.map((e) => ({ key: e.key, provider: e.provider, eventId: e.eventId, title: e.title, rules: e.rules.length })),
  });
  for (const r of index.rules) write(`rules/${safeSegment(r.source)}/${r.slug}.json`, ruleJson(r));
  for (const t of index.techniques) {
    write(`techniques/${t.id}.json`, {
      id: t.id,
      name: t.name,
      tactics: t.tactics,
      platforms: t.platforms,
      parentId: t.parentId,
      subtechniques: t.subtechniques,
      deprecated: t.deprecated,
      rules: t.rules.map((r) => ({ source: r.source, id: r.id, title: r.title })),
      rollupRules: t.rollupRules.map((r) => ({ source: r.source, id: r.id, title: r.title })),
      events: t.events.map((e) => ({ provider: e.provider, eventId: e.eventId, title: e.title, rules: e.rules })),
      fields: t.fields.map((f) => ({ canonical: f.canonical, rules: f.rules, operators: f.operators, samples: f.samples, vendors: f.vendors })),
      indicators: t.indicators.map(indicatorJson),
      exclusions: t.exclusions.map(indicatorJson),
      indicatorCount: t.indicatorCount,
      exclusionCount: t.exclusionCount,
    });
  }
  for (const e of index.events) {
    write(`events/${e.key}.json`, {
      key: e.key,
      provider: e.provider,
      eventId: e.eventId,
      title: e.title,
      channel: e.channel,
      platform: e.platform,
      rules: e.rules.map((r) => ({ source: r.source, id: r.id, title: r.title })),
      techniques: e.techniques,
      fields: e.fields.map((f) => ({ canonical: f.canonical, rules: f.rules, operators: f.operators, samples: f.samples, vendors: f.vendors })),
      indicators: e.indicators.map(indicatorJson),
      indicatorCount: e.indicatorCount,
    });
  }
  return files;
}

function indicatorJson(i: { canonical: string; operator: string; value: unknown; rules: number; reach: number; vendors: string[] }) {
  return { canonical: i.canonical, operator: i.operator, value: i.value, rules: i.rules, reach: i.reach, vendors: i.vendors };
}

function ruleJson(r: RuleRecord) {
  return {
    id: r.id,
    source: r.source,
    vendor: r.vendor,
    title: r.title,
    path: r.path,
    upstreamUrl: r.upstreamUrl,
    status: r.status,
    deprecated: r.deprecated,
    type: r.type,
    language: r.language,
    techniques: r.techniques,
    techniqueTags: r.techniqueResolutions,
    logsource: r.logsource,
    events: r.events,
    predicates: r.predicates.map((p) => {
      const o: Record<string, unknown> = { field: p.field, canonical: p.canonical, operator: p.operator, value: p.value, exclusion: p.exclusion };
      if (p.step !== undefined) o.step = p.step;
      if (p.raw !== undefined) o.raw = p.raw;
      if (p.derived) o.derived = true;
      if (p.caseSensitive) o.caseSensitive = true;
      if (p.dialect) o.dialect = p.dialect;
      if (p.flags) o.flags = p.flags;
      if (p.transforms) o.transforms = p.transforms;
      if (p.mapping) o.mapping = p.mapping;
      return o;
    }),
    indicators: r.indicators.map((i) => ({ canonical: i.canonical, operator: i.operator, value: i.value, exclusion: i.exclusion, reach: i.reach })),
  };
}
