import { relative, isAbsolute } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadCrosswalk, type Crosswalk } from './crosswalk.js';
import { buildDetectionModel, cmp } from './detection.js';
import { bool, citationRefs, mitreRef, records, str, strings, readStixBundle, type StixObject } from './stix.js';
import type { AttackModel, Technique } from './types.js';
import { bundleVersion } from './version.js';
import { isLive, linkSubtechniques, resolveRevocations } from './relations.js';
import { orderTactics } from './tactics.js';

export { isLive };

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/**
 * Load ATT&CK once from a STIX 2.1 bundle (plus, optionally, our v19 crosswalk). A bad bundle never
 * throws: it yields an empty or partial model and diagnostics. A broken crosswalk is our own catalog
 * data and throws CatalogError. Linear in the bundle size (one JSON.parse, then a few passes).
 */
export function loadAttack(bundlePath: string, crosswalkPath?: string): { attack: AttackModel; diagnostics: Diagnostic[] } {
  const file = displayPathOf(bundlePath);
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.push({ ...d, file: d.file || file });
  const { techniques: crosswalk, tactics: tacticCrosswalk }: Crosswalk = crosswalkPath
    ? loadCrosswalk(crosswalkPath, displayPathOf(crosswalkPath))
    : { techniques: new Map(), tactics: new Map() };
  const objects = readStixBundle(bundlePath, file, diagnostics);
  const { version, versionSource, modified } = bundleVersion(objects);

  const patterns: StixObject[] = [];
  const tacticObjects = new Map<string, StixObject>();
  const subOf: StixObject[] = [];
  const revokedByStix = new Map<string, string>();
  let matrix: StixObject | undefined;
  for (const o of objects) {
    switch (o.type) {
      case 'attack-pattern':
        patterns.push(o);
        break;
      case 'x-mitre-tactic':
        tacticObjects.set(o.id, o);
        break;
      case 'x-mitre-matrix':
        if (!matrix || (bool(matrix, 'x_mitre_deprecated') && !bool(o, 'x_mitre_deprecated'))) matrix = o;
        break;
      case 'relationship':
        if (o.relationship_type === 'subtechnique-of' && !bool(o, 'revoked')) subOf.push(o);
        else if (o.relationship_type === 'revoked-by') revokedByStix.set(str(o, 'source_ref'), str(o, 'target_ref'));
        break;
    }
  }

  const tactics = orderTactics(matrix, tacticObjects, patterns.length > 0, report);
  const tacticRank = new Map(tactics.map((t, i) => [t.shortname, i]));

  const byStix = new Map<string, Technique>();
  const byId = new Map<string, Technique>();
  let noId = 0;
  for (const o of patterns) {
    const ref = mitreRef(o);
    if (!ref || !TECHNIQUE_ID.test(ref.id)) {
      noId++;
      continue;
    }
    const t = toTechnique(o, ref, tacticRank);
    byStix.set(o.id, t);
    const prior = byId.get(t.id);
    if (prior) {
      const keepNew = isLive(t) && !isLive(prior);
      report(diagnosticAt('attack/duplicate-id', `technique ${t.id} appears twice in the bundle (${prior.stixId}, ${t.stixId})`, `kept the ${isLive(keepNew ? t : prior) ? 'live' : 'first'} one`, { line: 0, column: 0 }, 'warning'));
      if (!keepNew) continue;
    }
    byId.set(t.id, t);
  }
  if (noId > 0) report(diagnosticAt('attack/missing-external-id', `${noId} attack-pattern(s) have no mitre-attack technique ID and were skipped`, 'each technique needs an external reference {source_name: "mitre-attack", external_id: "T…"}', { line: 0, column: 0 }, 'warning'));

  linkSubtechniques(subOf, byStix, byId, report);
  resolveRevocations(revokedByStix, byStix, report);

  const techniqueIdByStix = new Map<string, string>();
  for (const [stixId, t] of byStix) techniqueIdByStix.set(stixId, t.id);
  const detection = buildDetectionModel(objects, techniqueIdByStix, report);
  for (const [id, list] of detection.dataComponentsByTechnique) {
    const t = byId.get(id);
    if (t && !t.dataSources) t.dataSources = list.map((dc) => dc.name);
  }

  const techniques = new Map([...byId.entries()].sort((a, b) => cmp(a[0], b[0])));
  if (objects.length > 0 && techniques.size === 0) {
    report(diagnosticAt('attack/no-techniques', 'the bundle holds no ATT&CK techniques', 'use the Enterprise ATT&CK bundle (enterprise-attack.json)', { line: 0, column: 0 }));
  }
  const missingTargets = [...crosswalk.values()].filter((e) => !techniques.has(e.v18)).map((e) => `${e.v19} -> ${e.v18}`);
  if (missingTargets.length > 0 && techniques.size > 0) {
    report({
      ...diagnosticAt('attack/crosswalk-target-missing', `${missingTargets.length} crosswalk target(s) are not in this bundle: ${missingTargets.join(', ')}`, 'expected with a partial bundle; with the full one, fix catalog/attack/crosswalk-v19.yaml', { line: 0, column: 0 }, 'info'),
    });
  }
  const attack: AttackModel = {
    version,
    versionSource,
    modified,
    domain: matrix ? str(matrix, 'name') : '',
    tactics,
    techniques,
    ...detection,
    crosswalk,
    tacticCrosswalk,
  };
  return { attack, diagnostics };
}

function toTechnique(o: StixObject, ref: { id: string; url: string }, tacticRank: ReadonlyMap<string, number>): Technique {
  const phases = records(o, 'kill_chain_phases')
    .filter((p) => p.kill_chain_name === 'mitre-attack')
    .map((p) => str(p, 'phase_name'))
    .filter((p, i, all) => p && all.indexOf(p) === i);
  phases.sort((a, b) => (tacticRank.get(a) ?? 1e9) - (tacticRank.get(b) ?? 1e9) || cmp(a, b));
  const t: Technique = {
    id: ref.id,
    name: str(o, 'name'),
    description: str(o, 'description'),
    url: ref.url,
    tactics: phases,
    platforms: strings(o, 'x_mitre_platforms'),
    isSubtechnique: bool(o, 'x_mitre_is_subtechnique') || ref.id.includes('.'),
    subtechniques: [],
    revoked: bool(o, 'revoked'),
    deprecated: bool(o, 'x_mitre_deprecated'),
    references: citationRefs(o),
    stixId: o.id,
  };
  const detection = str(o, 'x_mitre_detection');
  if (detection) t.detection = detection;
  if (Array.isArray(o.x_mitre_data_sources)) t.dataSources = strings(o, 'x_mitre_data_sources');
  return t;
}

function displayPathOf(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}
