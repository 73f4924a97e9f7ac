import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fg from 'fast-glob';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { isLive, loadAttack, normalizeTechniqueId, resolveTactic, resolveTechnique, type AttackModel } from '../../src/lib/attack/index.js';
import { renderAttackDescription } from '../../src/lib/site/markdown.js';

const CORPUS = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus');
const BUNDLE = join(CORPUS, 'attack/enterprise-attack.json');
const CROSSWALK = resolve(process.cwd(), 'catalog/attack/crosswalk-v19.yaml');
const present = existsSync(BUNDLE);
if (!present) console.warn(`[attack corpus] skipped: ${BUNDLE} not found (set CORPUS_DIR to the corpus snapshot)`);

/**
 * Tags that may stay unresolved, each with the reason. Empty today: every tag in the snapshot
 * resolves. A new entry needs a reason a reader can check (e.g. a v19 technique with no v18 ancestor).
 */
const EXPLAINED: Record<string, string> = {};

/** Technique tags of one vendor: tag -> number of rules carrying it, plus files that failed to parse. */
interface TagScan {
  tags: Map<string, number>;
  /** Tactic tags (Sigma shortnames, Elastic TA IDs). */
  tactics: Map<string, number>;
  files: number;
  unreadable: string[];
}

function count(map: Map<string, number>, tag: string): void {
  map.set(tag, (map.get(tag) ?? 0) + 1);
}

function scanSigma(): TagScan {
  const files = fg.sync('sigma/rules*/**/*.yml', { cwd: CORPUS });
  const scan: TagScan = { tags: new Map(), tactics: new Map(), files: files.length, unreadable: [] };
  for (const f of files) {
    let docs: unknown[];
    try {
      docs = yaml.loadAll(readFileSync(join(CORPUS, f), 'utf8'));
    } catch {
      scan.unreadable.push(f);
      continue;
    }
    for (const doc of docs) {
      const tags = (doc as { tags?: unknown } | null)?.tags;
      if (!Array.isArray(tags)) continue;
      for (const t of tags) {
        if (typeof t !== 'string') continue;
        if (/^attack\.t\d/i.test(t)) count(scan.tags, t.slice(7).toUpperCase());
        else if (/^attack\.[a-z]+(-[a-z]+)*$/.test(t)) count(scan.tactics, t.slice(7));
      }
    }
  }
  return scan;
}

function scanElastic(): TagScan {
  const files = fg.sync(['elastic/rules/**/*.toml', 'elastic/rules_building_block/**/*.toml'], { cwd: CORPUS });
  const scan: TagScan = { tags: new Map(), tactics: new Map(), files: files.length, unreadable: [] };
  for (const f of files) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(readFileSync(join(CORPUS, f), 'utf8')) as Record<string, unknown>;
    } catch {
      scan.unreadable.push(f);
      continue;
    }
    const threats = ((doc.rule as { threat?: unknown } | undefined)?.threat ?? []) as { tactic?: { id?: string }; technique?: { id?: string; subtechnique?: { id?: string }[] }[] }[];
    for (const threat of Array.isArray(threats) ? threats : []) {
      if (threat.tactic?.id) count(scan.tactics, threat.tactic.id);
      for (const tech of threat.technique ?? []) {
        if (tech.id) count(scan.tags, tech.id);
        for (const sub of tech.subtechnique ?? []) if (sub.id) count(scan.tags, sub.id);
      }
    }
  }
  return scan;
}

function scanSplunk(): TagScan {
  const files = fg.sync('splunk/detections/**/*.yml', { cwd: CORPUS });
  const scan: TagScan = { tags: new Map(), tactics: new Map(), files: files.length, unreadable: [] };
  for (const f of files) {
    let doc: { tags?: { mitre_attack_id?: unknown } } | null;
    try {
      doc = yaml.load(readFileSync(join(CORPUS, f), 'utf8')) as typeof doc;
    } catch {
      scan.unreadable.push(f);
      continue;
    }
    const ids = doc?.tags?.mitre_attack_id;
    for (const id of Array.isArray(ids) ? ids : []) if (typeof id === 'string') count(scan.tags, id.trim());
  }
  return scan;
}

/** Resolve every tag of a scan, print the shares, and return the unresolved ones. */
function reportResolution(vendor: string, attack: AttackModel, scan: TagScan): string[] {
  const byVia = { bundle: 0, revoked: 0, crosswalk: 0 };
  const unresolved: string[] = [];
  const redirected: string[] = [];
  const deprecated: string[] = [];
  let occurrences = 0;
  let resolvedOccurrences = 0;
  for (const [tag, n] of [...scan.tags].sort()) {
    occurrences += n;
    const r = resolveTechnique(attack, tag);
    if (!r) {
      unresolved.push(`${tag} (${n} rule tag(s))`);
      continue;
    }
    resolvedOccurrences += n;
    byVia[r.via]++;
    if (r.via !== 'bundle') redirected.push(`${tag} -> ${r.id} [${r.via}, ${n}x]`);
    if (attack.techniques.get(r.id)?.deprecated) deprecated.push(`${tag} (${n}x)`);
  }
  const pct = (a: number, b: number) => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));
  console.log(
    `[attack corpus] ${vendor}: ${scan.files} files (${scan.unreadable.length} unparsable), ${scan.tags.size} distinct technique tags, ` +
      `${occurrences} tag uses; resolved ${scan.tags.size - unresolved.length}/${scan.tags.size} distinct (${pct(scan.tags.size - unresolved.length, scan.tags.size)}%), ` +
      `${resolvedOccurrences}/${occurrences} uses (${pct(resolvedOccurrences, occurrences)}%); via bundle ${byVia.bundle}, revoked ${byVia.revoked}, crosswalk ${byVia.crosswalk}`,
  );
  if (redirected.length) console.log(`[attack corpus] ${vendor} redirected: ${redirected.join('; ')}`);
  if (deprecated.length) console.log(`[attack corpus] ${vendor} tags on deprecated techniques: ${deprecated.join('; ')}`);
  if (unresolved.length) console.log(`[attack corpus] ${vendor} UNRESOLVED: ${unresolved.join('; ')}`);
  if (scan.tactics.size > 0) {
    const tactics = [...scan.tactics].sort().map(([tag, n]) => {
      const r = resolveTactic(attack, tag);
      if (!r) unresolved.push(`tactic:${tag}`);
      return `${tag}${r?.via === 'crosswalk' ? ` -> ${r.shortname}` : r ? '' : ' UNRESOLVED'} ${n}x`;
    });
    console.log(`[attack corpus] ${vendor} tactic tags: ${tactics.join('; ')}`);
  }
  return unresolved.map((u) => u.split(' ')[0]!);
}

describe.skipIf(!present)('ATT&CK v18.1 bundle (real corpus)', () => {
  const t0 = performance.now();
  const { attack, diagnostics } = present ? loadAttack(BUNDLE, CROSSWALK) : ({} as ReturnType<typeof loadAttack>);
  const loadMs = performance.now() - t0;

  it('loads quickly, without errors, and counts what it holds', () => {
    const all = [...attack.techniques.values()];
    const live = all.filter(isLive);
    const counts = {
      loadMs: Math.round(loadMs),
      version: `${attack.version} (${attack.versionSource})`,
      tactics: attack.tactics.length,
      attackPatterns: all.length,
      liveTechniques: live.filter((t) => !t.isSubtechnique).length,
      liveSubtechniques: live.filter((t) => t.isSubtechnique).length,
      revoked: all.filter((t) => t.revoked).length,
      deprecated: all.filter((t) => t.deprecated).length,
      detectionStrategies: attack.detectionStrategies.size,
      analytics: attack.analytics.size,
      dataComponents: attack.dataComponents.size,
      techniquesWithStrategies: attack.detectionStrategiesByTechnique.size,
      techniquesWithDataComponents: attack.dataComponentsByTechnique.size,
      crosswalkRows: attack.crosswalk.size,
      diagnostics: diagnostics.length,
    };
    console.log('[attack corpus] bundle:', JSON.stringify(counts));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(attack.version).toBe('18.1');
    expect(attack.tactics.map((t) => t.id)).toEqual(['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
    expect(counts.liveTechniques).toBe(216);
    expect(counts.liveSubtechniques).toBe(475);
    expect(counts.revoked).toBe(132);
    expect(counts.deprecated).toBe(12);
    expect(counts.detectionStrategies).toBe(691);
    expect(counts.analytics).toBe(1739);
    // ~0.7 s on a quiet machine (0.65 s of it readFile + JSON.parse); loose because cores are shared.
    expect(loadMs).toBeLessThan(10_000);
  });

  it('keeps the graph consistent: parents, sub-techniques, revocations, tactics', () => {
    const tacticNames = new Set(attack.tactics.map((t) => t.shortname));
    for (const t of attack.techniques.values()) {
      if (t.revoked) {
        expect(t.revokedBy, `${t.id} revoked without replacement`).toBeDefined();
        expect(isLive(attack.techniques.get(t.revokedBy!)!), `${t.id} -> ${t.revokedBy}`).toBe(true);
        continue;
      }
      if (t.isSubtechnique) {
        expect(t.parentId, t.id).toBe(t.id.split('.')[0]);
        if (!t.deprecated) expect(attack.techniques.get(t.parentId!)!.subtechniques).toContain(t.id);
      }
      for (const s of t.tactics) expect(tacticNames.has(s), `${t.id} tactic ${s}`).toBe(true);
    }
    const ps = attack.detectionStrategiesByTechnique.get('T1059.001')!;
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]!.analytics.flatMap((a) => a.logSources.map((l) => l.dataComponent))).toContain('Process Creation');
  });

  it('crosswalk: every v19 ID is absent from the bundle and every target is a live v18 technique', () => {
    for (const e of attack.crosswalk.values()) {
      expect(attack.techniques.has(e.v19), `${e.v19} is in the v18 bundle: drop the row`).toBe(false);
      const target = attack.techniques.get(e.v18);
      expect(target && isLive(target), `${e.v19} -> ${e.v18} must be live`).toBe(true);
    }
    const shortnames = new Set(attack.tactics.map((t) => t.shortname));
    for (const e of attack.tacticCrosswalk.values()) {
      expect(shortnames.has(e.v19), `${e.v19} is a v18 tactic: drop the row`).toBe(false);
      expect(shortnames.has(e.v18), `${e.v19} -> ${e.v18}`).toBe(true);
    }
  });

  it('renders every technique description with its citations resolved', () => {
    const t1 = performance.now();
    let citations = 0;
    const missing: string[] = [];
    for (const t of attack.techniques.values()) {
      const r = renderAttackDescription(t);
      citations += r.citations.length;
      expect(r.html).not.toContain('\uE000');
      expect(r.html).not.toMatch(/<script/i);
      for (const c of r.citations) if (!c.description && !c.url) missing.push(`${t.id}: ${c.name}`);
    }
    console.log(`[attack corpus] rendered ${attack.techniques.size} descriptions, ${citations} citations in ${Math.round(performance.now() - t1)} ms; citations without a reference in the bundle: ${missing.join('; ') || 'none'}`);
    expect(missing.length).toBeLessThan(20); // upstream data gaps, listed above
  });

  for (const [vendor, scan] of [
    ['Sigma', scanSigma],
    ['Elastic', scanElastic],
    ['Splunk', scanSplunk],
  ] as const) {
    it(`resolves every ${vendor} technique tag, or explains it`, () => {
      const s = scan();
      expect(s.tags.size).toBeGreaterThan(100);
      const unresolved = reportResolution(vendor, attack, s);
      for (const tag of unresolved) expect(EXPLAINED[tag], `${vendor} tag ${tag} does not resolve and is not explained`).toBeDefined();
      for (const tag of s.tags.keys()) expect(normalizeTechniqueId(tag), `${vendor} tag ${tag} is not a technique ID`).not.toBeNull();
    });
  }
});
