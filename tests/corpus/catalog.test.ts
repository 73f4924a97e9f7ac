import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/lib/catalog/load.js';
import type { SigmaLogsource } from '../../src/lib/catalog/schema.js';
import { matchSigmaLogsource, resolveField } from '../catalog/logsource-match.js';

const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), '../shared/corpus');
const sigmaDir = path.join(corpus, 'sigma');
const present = existsSync(path.join(sigmaDir, 'rules'));
if (!present) console.warn(`[catalog corpus] skipped: ${sigmaDir}/rules not found (set CORPUS_DIR to the corpus snapshot)`);

/** One field occurrence of a rule's detection (a key of a selection map, modifiers stripped). */
interface Use {
  field: string;
  values: unknown[];
}
interface SigmaDoc {
  file: string;
  logsource: SigmaLogsource;
  uses: Use[];
}

/** Field keys of every selection map of a detection, one entry per occurrence; keyword lists have none. */
function detectionUses(detection: Record<string, unknown>): Use[] {
  const out: Use[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, val] of Object.entries(v)) {
        const field = k.split('|')[0]!;
        if (field !== '') out.push({ field, values: Array.isArray(val) ? val : [val] });
      }
    }
  };
  for (const [name, sel] of Object.entries(detection)) if (name !== 'condition' && name !== 'timeframe') walk(sel);
  return out;
}

function readSigma(): SigmaDoc[] {
  const docs: SigmaDoc[] = [];
  for (const file of fg.sync('rules*/**/*.yml', { cwd: sigmaDir }).sort()) {
    let parsed: unknown[];
    try {
      parsed = yaml.loadAll(readFileSync(path.join(sigmaDir, file), 'utf8'));
    } catch {
      continue; // the Sigma adapter reports unreadable files; here we measure the catalog
    }
    for (const d of parsed) {
      const doc = d as { logsource?: Record<string, unknown>; detection?: Record<string, unknown> } | null;
      if (!doc?.logsource || !doc.detection) continue;
      const ls: SigmaLogsource = {};
      for (const k of ['product', 'category', 'service'] as const) if (typeof doc.logsource[k] === 'string') ls[k] = doc.logsource[k] as string;
      docs.push({ file, logsource: ls, uses: detectionUses(doc.detection) });
    }
  }
  return docs;
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
const lsKey = (l: SigmaLogsource) => [l.product ?? '', l.category ?? '', l.service ?? ''].join('/');
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Namespaces where canonical names are ours or an integration's, not ECS core (see catalog/mappings/README.md). */
const NON_ECS_NAMESPACES = ['winlog.', 'powershell.', 'process.target.', 'aws.', 'azure.', 'gcp.', 'google_workspace.', 'okta.', 'o365.', 'kubernetes.', 'zeek.', 'auditd.', 'sigma.'];
/** Canonical names of the scheme that ECS lacks, each documented in catalog/mappings/README.md. */
const SCHEME_EXTENSIONS = new Set(['process.hash', 'dll.hash', 'file.hash', 'process.integrity_level']);

describe.skipIf(!present)('catalog over the Sigma corpus', () => {
  const load = (() => {
    let cached: { catalog: Catalog; docs: SigmaDoc[] } | undefined;
    return () => (cached ??= { catalog: loadCatalog(path.resolve('catalog')), docs: readSigma() });
  })();

  it('maps Sigma log sources to catalog events', () => {
    const { catalog, docs } = load();
    let withEvents = 0;
    let windows = 0;
    let windowsWithEvents = 0;
    const noEvents = new Map<string, number>();
    for (const d of docs) {
      const entry = matchSigmaLogsource(catalog.sigmaLogsources, d.logsource);
      const ok = (entry?.events.length ?? 0) > 0;
      if (ok) withEvents++;
      else noEvents.set(lsKey(d.logsource), (noEvents.get(lsKey(d.logsource)) ?? 0) + 1);
      if (d.logsource.product?.toLowerCase() === 'windows') {
        windows++;
        if (ok) windowsWithEvents++;
      }
    }
    console.log(
      `[catalog corpus] Sigma rules: ${docs.length}; logsource -> >=1 event: ${withEvents} (${pct(withEvents, docs.length)}); ` +
        `Windows: ${windowsWithEvents}/${windows} (${pct(windowsWithEvents, windows)})\n  without events: ${top(noEvents, 25)}`,
    );
    // The core Windows categories must all reach their events.
    const core = /^(process_creation|network_connection|dns_query|file_event|registry_\w+|image_load|ps_script|ps_module|process_access|create_remote_thread|driver_load|pipe_created)$/;
    const missed = docs.filter(
      (d) => d.logsource.product === 'windows' && core.test(d.logsource.category ?? '') && !(matchSigmaLogsource(catalog.sigmaLogsources, d.logsource)?.events.length),
    );
    expect(missed.map((d) => d.file)).toEqual([]);
    expect(windowsWithEvents / windows).toBeGreaterThan(0.99);
  });

  it('models every event ID that Windows service rules pin', () => {
    const { catalog, docs } = load();
    const missing = new Map<string, number>();
    let pinned = 0;
    for (const d of docs) {
      if (d.logsource.product !== 'windows' || !d.logsource.service) continue;
      const entry = matchSigmaLogsource(catalog.sigmaLogsources, d.logsource);
      const ids = new Set((entry?.events ?? []).map((k) => Number(k.slice(k.lastIndexOf('-') + 1))));
      for (const u of d.uses) {
        if (u.field !== 'EventID') continue;
        for (const v of u.values) {
          pinned++;
          if (!ids.has(Number(v))) missing.set(`${d.logsource.service}:${String(v)}`, (missing.get(`${d.logsource.service}:${String(v)}`) ?? 0) + 1);
        }
      }
    }
    console.log(`[catalog corpus] EventID values in Windows service rules: ${pinned}; not modelled: ${missing.size ? top(missing, 30) : 'none'}`);
    expect([...missing.keys()]).toEqual([]);
  });

  it('maps the field names the rules use', () => {
    const { catalog, docs } = load();
    let uses = 0;
    let explicit = 0;
    let winUses = 0;
    let winExplicit = 0;
    let winEcs = 0;
    const unmappedRules = new Map<string, Set<string>>();
    const unmappedUses = new Map<string, number>();
    const winFieldRules = new Map<string, number>();
    for (const d of docs) {
      const entry = matchSigmaLogsource(catalog.sigmaLogsources, d.logsource);
      const tables = entry?.tables ?? [];
      const isWin = d.logsource.product === 'windows';
      const seen = new Set<string>();
      for (const u of d.uses) {
        const r = resolveField(catalog, u.field, tables);
        uses++;
        if (r.explicit) explicit++;
        if (isWin) {
          winUses++;
          if (r.explicit) winExplicit++;
          if (!r.canonical.startsWith('winlog.event_data.')) winEcs++;
          if (!seen.has(u.field)) winFieldRules.set(u.field, (winFieldRules.get(u.field) ?? 0) + 1);
        }
        seen.add(u.field);
        if (!r.explicit) {
          const key = `${isWin ? 'windows' : lsKey(d.logsource)}:${u.field}`;
          unmappedUses.set(key, (unmappedUses.get(key) ?? 0) + 1);
          if (!unmappedRules.has(key)) unmappedRules.set(key, new Set());
          unmappedRules.get(key)!.add(d.file);
        }
      }
    }
    console.log(
      `[catalog corpus] field occurrences: ${uses}, named by a table: ${explicit} (${pct(explicit, uses)}); ` +
        `Windows: ${winExplicit}/${winUses} (${pct(winExplicit, winUses)}), to a name outside winlog.event_data.*: ${winEcs} (${pct(winEcs, winUses)}); ` +
        `distinct Windows fields: ${winFieldRules.size}\n` +
        `  top Windows fields (rules): ${top(winFieldRules, 40)}\n  top fallbacks (occurrences): ${top(unmappedUses, 25)}`,
    );
    // Every Windows field used by three or more rules is named explicitly by its rules' tables.
    const windowsGaps = [...unmappedRules].filter(([k, files]) => k.startsWith('windows:') && files.size >= 3).map(([k]) => k);
    expect(windowsGaps).toEqual([]);
    expect(winExplicit / winUses).toBeGreaterThan(0.97);
  });

  it('uses ECS names, or documented namespaces, as canonical names', () => {
    const { catalog } = load();
    const ecsFile = path.join(corpus, 'ecs/generated/ecs/ecs_flat.yml');
    if (!existsSync(ecsFile)) return;
    const ecs = new Set(Object.keys(yaml.load(readFileSync(ecsFile, 'utf8')) as Record<string, unknown>));
    const canonicals = new Set<string>();
    for (const t of catalog.mappings.values()) for (const v of Object.values(t.fields)) canonicals.add(v);
    for (const ev of catalog.events.values()) for (const f of ev.fields) canonicals.add(f.canonical);
    const nonEcs = [...canonicals].filter((c) => !ecs.has(c)).sort();
    const unexplained = nonEcs.filter((c) => !SCHEME_EXTENSIONS.has(c) && !NON_ECS_NAMESPACES.some((p) => c.startsWith(p)));
    console.log(`[catalog corpus] canonical names: ${canonicals.size}, in ECS: ${canonicals.size - nonEcs.length}, in documented namespaces/extensions: ${nonEcs.length - unexplained.length}`);
    expect(unexplained).toEqual([]);
  });

  it('names only ATT&CK data components that exist', () => {
    const { catalog } = load();
    const bundleFile = path.join(corpus, 'attack/enterprise-attack.json');
    if (!existsSync(bundleFile)) return;
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { objects: { type: string; name?: string }[] };
    const names = new Set(bundle.objects.filter((o) => o.type === 'x-mitre-data-component').map((o) => o.name));
    const used = new Set([...catalog.events.values()].flatMap((e) => e.attackDataComponents));
    expect([...used].filter((n) => !names.has(n))).toEqual([]);
  });
});
