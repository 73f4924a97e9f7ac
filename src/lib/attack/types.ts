/**
 * The ATT&CK model the site is built on, read once from the STIX bundle. Plain data (maps and
 * arrays of readonly records) so the aggregate step and the pages can share it without copying.
 */

/** One `external_references` entry of a STIX object: what `(Citation: Name)` markers point to. */
export interface AttackReference {
  source_name: string;
  url?: string;
  description?: string;
}

/** A tactic column of the matrix, e.g. `{ id: 'TA0002', shortname: 'execution', name: 'Execution' }`. */
export interface Tactic {
  id: string;
  /** The `x_mitre_shortname` that techniques name in their `kill_chain_phases`. */
  shortname: string;
  name: string;
  description: string;
  url: string;
  stixId: string;
}

export interface Technique {
  /** ATT&CK ID, upper case: `T1059` or `T1059.001`. */
  id: string;
  name: string;
  /** Markdown as in STIX: may hold `(Citation: …)` markers and a few HTML tags (`<code>`, `<b>`, `<br>`). */
  description: string;
  url: string;
  /** Tactic shortnames, in kill-chain order. */
  tactics: string[];
  platforms: string[];
  isSubtechnique: boolean;
  /** Parent technique ID of a sub-technique, from its `subtechnique-of` relationship. */
  parentId?: string;
  /** Live (neither revoked nor deprecated) sub-technique IDs, sorted. */
  subtechniques: string[];
  revoked: boolean;
  /** Final live replacement of a revoked technique (revoked-by chains are followed). */
  revokedBy?: string;
  deprecated: boolean;
  /** Free-text detection notes (`x_mitre_detection`); empty in v18, which moved them to analytics. */
  detection?: string;
  /**
   * `x_mitre_data_sources` when the bundle has them (up to v17); from v18 on, the names of the data
   * components reached through the technique's detection strategies, so pages have one field to show.
   */
  dataSources?: string[];
  /** External references except the `mitre-attack` one: the targets of citations. */
  references: AttackReference[];
  stixId: string;
}

/** A log source named by a data component or an analytic (`WinEventLog:Sysmon` / `EventCode=1`). */
export interface LogSource {
  name: string;
  channel: string;
}

/** A v18 data component (`DC0032` Process Creation). */
export interface DataComponent {
  id: string;
  name: string;
  description: string;
  url: string;
  logSources: LogSource[];
  /** Techniques this component helps detect (through strategies' analytics and `detects` relationships), sorted. */
  techniques: string[];
  deprecated: boolean;
  revoked: boolean;
  stixId: string;
}

/** An analytic's log source, with its data component resolved. */
export interface AnalyticLogSource extends LogSource {
  /** Data component ID (`DC0032`), or '' when the reference dangles. */
  dataComponentId: string;
  dataComponent: string;
}

/** A v18 analytic (`AN1252`): one platform-specific way to detect a technique. */
export interface Analytic {
  id: string;
  name: string;
  description: string;
  url: string;
  platforms: string[];
  logSources: AnalyticLogSource[];
  /** Tunable parts of the analytic (`x_mitre_mutable_elements`). */
  mutableElements: { field: string; description: string }[];
  stixId: string;
}

/** A v18 detection strategy (`DET0455`): the analytics that together detect a technique. */
export interface DetectionStrategy {
  id: string;
  name: string;
  url: string;
  /** Technique IDs it `detects`. */
  techniques: string[];
  analytics: Analytic[];
  deprecated: boolean;
  stixId: string;
}

/** One row of catalog/attack/crosswalk-v19.yaml: a v19 ID and the v18 technique it replaced. */
export interface CrosswalkEntry {
  v19: string;
  v18: string;
  name: string;
  reason: string;
}

/** One tactic row of the crosswalk: a v19 tactic shortname and the v18 tactic it came out of. */
export interface TacticCrosswalkEntry {
  v19: string;
  id?: string;
  v18: string;
  name: string;
  reason: string;
}

/** How `version` was found: a collection object, or inferred from the latest modification date. */
export type VersionSource = 'collection' | 'inferred' | 'unknown';

export interface AttackModel {
  /** ATT&CK release, e.g. `18.1`; `unknown` when neither a collection object nor the dates tell. */
  version: string;
  versionSource: VersionSource;
  /** Latest `modified` timestamp of any object: the bundle's freshness. */
  modified: string;
  /** Matrix name (`Enterprise ATT&CK`). */
  domain: string;
  /** Tactics in kill-chain order (the matrix's `tactic_refs`). */
  tactics: Tactic[];
  /** Every attack-pattern, live, revoked and deprecated, keyed by ID, in ID order. */
  techniques: Map<string, Technique>;
  detectionStrategies: Map<string, DetectionStrategy>;
  analytics: Map<string, Analytic>;
  dataComponents: Map<string, DataComponent>;
  /** Strategies that `detect` each technique ID (exact, not rolled up to parents). */
  detectionStrategiesByTechnique: Map<string, DetectionStrategy[]>;
  /** Data components reached from each technique ID, sorted by ID. */
  dataComponentsByTechnique: Map<string, DataComponent[]>;
  /** v19 ID -> crosswalk entry; empty when no crosswalk file was given. */
  crosswalk: Map<string, CrosswalkEntry>;
  /** v19 tactic shortname -> crosswalk entry (`stealth` -> `defense-evasion`); empty without a crosswalk. */
  tacticCrosswalk: Map<string, TacticCrosswalkEntry>;
}
