import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { bool, mitreRef, records, str, strings, type StixObject } from './stix.js';
import type { Analytic, DataComponent, DetectionStrategy, LogSource } from './types.js';

export interface DetectionModel {
  detectionStrategies: Map<string, DetectionStrategy>;
  analytics: Map<string, Analytic>;
  dataComponents: Map<string, DataComponent>;
  detectionStrategiesByTechnique: Map<string, DetectionStrategy[]>;
  dataComponentsByTechnique: Map<string, DataComponent[]>;
}

/**
 * Build the v18 detection model: strategy -> analytics -> log sources -> data components, linked to
 * techniques by `detects` relationships (strategy -> technique in v18; data component -> technique
 * in v15-v17 bundles, kept so older bundles still link components). One pass per object kind.
 */
export function buildDetectionModel(
  objects: readonly StixObject[],
  techniqueIdByStix: ReadonlyMap<string, string>,
  report: (d: Diagnostic) => void,
): DetectionModel {
  const dataComponents = new Map<string, DataComponent>();
  const componentByStix = new Map<string, DataComponent>();
  const analyticObjects = new Map<string, StixObject>();
  const strategyObjects: StixObject[] = [];
  const detects: StixObject[] = [];
  for (const o of objects) {
    if (o.type === 'x-mitre-data-component') {
      const ref = mitreRef(o);
      if (!ref) continue;
      const dc: DataComponent = {
        id: ref.id,
        name: str(o, 'name'),
        description: str(o, 'description'),
        url: ref.url,
        logSources: records(o, 'x_mitre_log_sources').map((l) => ({ name: str(l, 'name'), channel: str(l, 'channel') })),
        techniques: [],
        deprecated: bool(o, 'x_mitre_deprecated'),
        revoked: bool(o, 'revoked'),
        stixId: o.id,
      };
      dataComponents.set(dc.id, dc);
      componentByStix.set(o.id, dc);
    } else if (o.type === 'x-mitre-analytic') analyticObjects.set(o.id, o);
    else if (o.type === 'x-mitre-detection-strategy') strategyObjects.push(o);
    else if (o.type === 'relationship' && o.relationship_type === 'detects') detects.push(o);
  }

  const analyticsByStix = new Map<string, Analytic>();
  const analytics = new Map<string, Analytic>();
  for (const o of analyticObjects.values()) {
    const ref = mitreRef(o);
    if (!ref) continue;
    const a: Analytic = {
      id: ref.id,
      name: str(o, 'name'),
      description: str(o, 'description'),
      url: ref.url,
      platforms: strings(o, 'x_mitre_platforms'),
      logSources: records(o, 'x_mitre_log_source_references').map((l) => {
        const dc = componentByStix.get(str(l, 'x_mitre_data_component_ref'));
        return { name: str(l, 'name'), channel: str(l, 'channel'), dataComponentId: dc?.id ?? '', dataComponent: dc?.name ?? '' };
      }),
      mutableElements: records(o, 'x_mitre_mutable_elements').map((m) => ({ field: str(m, 'field'), description: str(m, 'description') })),
      stixId: o.id,
    };
    analytics.set(a.id, a);
    analyticsByStix.set(o.id, a);
  }

  const detectionStrategies = new Map<string, DetectionStrategy>();
  const strategyByStix = new Map<string, DetectionStrategy>();
  for (const o of strategyObjects) {
    const ref = mitreRef(o);
    if (!ref) continue;
    const list: Analytic[] = [];
    for (const id of strings(o, 'x_mitre_analytic_refs')) {
      const a = analyticsByStix.get(id);
      if (a) list.push(a);
      else report({ ...diagnosticAt('attack/dangling-ref', `detection strategy ${ref.id} names missing analytic ${id}`, 'the bundle is incomplete; use a full enterprise-attack.json', {}, 'warning') });
    }
    const s: DetectionStrategy = { id: ref.id, name: str(o, 'name'), url: ref.url, techniques: [], analytics: list, deprecated: bool(o, 'x_mitre_deprecated'), stixId: o.id };
    detectionStrategies.set(s.id, s);
    strategyByStix.set(o.id, s);
  }

  const strategiesByTechnique = new Map<string, DetectionStrategy[]>();
  const componentSets = new Map<string, Set<DataComponent>>();
  const link = (technique: string, dc: DataComponent) => {
    let set = componentSets.get(technique);
    if (!set) componentSets.set(technique, (set = new Set()));
    set.add(dc);
  };
  for (const r of detects) {
    if (bool(r, 'revoked') || bool(r, 'x_mitre_deprecated')) continue;
    const technique = techniqueIdByStix.get(str(r, 'target_ref'));
    if (!technique) continue;
    const source = str(r, 'source_ref');
    const s = strategyByStix.get(source);
    if (s) {
      s.techniques.push(technique);
      push(strategiesByTechnique, technique, s);
      for (const a of s.analytics) for (const l of a.logSources) {
        const dc = l.dataComponentId ? dataComponents.get(l.dataComponentId) : undefined;
        if (dc) link(technique, dc);
      }
      continue;
    }
    const dc = componentByStix.get(source);
    if (dc) link(technique, dc);
  }

  const dataComponentsByTechnique = new Map<string, DataComponent[]>();
  for (const [technique, set] of componentSets) {
    const list = [...set].sort((a, b) => cmp(a.id, b.id));
    dataComponentsByTechnique.set(technique, list);
    for (const dc of list) dc.techniques.push(technique);
  }
  for (const dc of dataComponents.values()) dc.techniques.sort(cmp);
  for (const s of detectionStrategies.values()) s.techniques.sort(cmp);
  for (const list of strategiesByTechnique.values()) list.sort((a, b) => cmp(a.id, b.id));
  return { detectionStrategies, analytics, dataComponents, detectionStrategiesByTechnique: strategiesByTechnique, dataComponentsByTechnique };
}

/** Names of the log sources (`WinEventLog:Sysmon`) one technique's strategies read, for a quick list. */
export function logSourcesOfTechnique(model: Pick<DetectionModel, 'detectionStrategiesByTechnique'>, techniqueId: string): LogSource[] {
  const seen = new Map<string, LogSource>();
  for (const s of model.detectionStrategiesByTechnique.get(techniqueId) ?? []) {
    for (const a of s.analytics) for (const l of a.logSources) {
      const key = `${l.name}\u0000${l.channel}`;
      if (!seen.has(key)) seen.set(key, { name: l.name, channel: l.channel });
    }
  }
  return [...seen.values()];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Plain code-point order: IDs are ASCII, and locale collation would be slower and host-dependent. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
