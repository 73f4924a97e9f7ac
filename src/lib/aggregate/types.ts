import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Operator, Scalar } from '../model/logic.js';
import type { RuleDraft, Vendor } from '../model/rule.js';
import type { Predicate } from '../normalize/predicate.js';

/** Per-source counts and every diagnostic: the build report page and `api/report.json`. */
export interface SourceReport {
  id: string;
  format: Vendor;
  title: string;
  commit: string | null;
  repo: string | null;
  files: number;
  /** Rules recognized: published + noQuery + failed. */
  rules: number;
  /** Published with at least one predicate. */
  published: number;
  /** Published without predicates (ML jobs, correlations). */
  noQuery: number;
  /** Recognized but not published (parse errors...). */
  failed: number;
  /** Counts by query language (`kuery`, `eql`, `sigma`, ...), and no-language for ML. */
  byLanguage: Record<string, { rules: number; published: number; noQuery: number; failed: number }>;
  diagnostics: Diagnostic[];
}

/** How a technique tag resolved: as itself, through a revoked-by redirect, or the v19 crosswalk. */
export interface TechniqueResolution {
  tag: string;
  id: string | null;
  via: 'bundle' | 'revoked' | 'crosswalk' | 'unresolved';
}

export interface RuleRef {
  source: string;
  vendor: Vendor;
  id: string;
  slug: string;
  title: string;
}

/** One (canonical field, operator, value) with its counts. */
export interface IndicatorRow {
  canonical: string;
  operator: Operator;
  /** Shown as written (the most common spelling among the rules). */
  value: Scalar;
  /** Rules in this scope (technique, event, rule) using it. */
  rules: number;
  /** Rules in the whole catalog using it (as a condition, or as an exclusion for exclusion rows). */
  reach: number;
  /** Vendors among the rules of this scope. */
  vendors: Vendor[];
  key: string;
}

export interface FieldRow {
  canonical: string;
  /** Rules in scope filtering on this field. */
  rules: number;
  /** Operator -> number of rules using it on this field. */
  operators: Partial<Record<Operator, number>>;
  /** A few sample values, most used first. */
  samples: string[];
  /** Raw vendor names seen for this canonical field, with their vendors. */
  raw: { field: string; vendor: Vendor }[];
  vendors: Vendor[];
}

export interface EventRef {
  key: string;
  provider: string;
  eventId: number;
  title: string;
  rules: number;
}

/** The draft fields a published rule keeps as the adapter made them. */
type DraftFields = Pick<
  RuleDraft,
  | 'path' | 'description' | 'status' | 'deprecated' | 'severity' | 'author' | 'date' | 'modified' | 'references'
  | 'falsePositives' | 'tags' | 'type' | 'language' | 'query' | 'queryLine' | 'queryExpanded' | 'logsource' | 'events'
  | 'mappingTables' | 'parts' | 'meta' | 'sections'
>;

/** A published rule with everything its page and JSON need. */
export interface RuleRecord extends RuleRef, DraftFields {
  upstreamUrl: string | null;
  /** Resolved technique IDs (live ATT&CK IDs), sorted. */
  techniques: string[];
  techniqueResolutions: TechniqueResolution[];
  predicates: Predicate[];
  /** Distinct indicator rows of this rule (conditions then exclusions) with corpus reach. */
  indicators: (IndicatorRow & { exclusion: boolean })[];
}

export interface TechniqueRecord {
  id: string;
  name: string;
  description: string;
  url: string;
  tactics: string[];
  platforms: string[];
  isSubtechnique: boolean;
  parentId: string | null;
  subtechniques: string[];
  deprecated: boolean;
  /** Rules tagged with exactly this technique. */
  rules: RuleRef[];
  /** Rules reaching it through a sub-technique (parents only), shown apart. */
  rollupRules: RuleRef[];
  events: EventRef[];
  fields: FieldRow[];
  indicators: IndicatorRow[];
  exclusions: IndicatorRow[];
  /** Distinct indicator count before truncation. */
  indicatorCount: number;
  exclusionCount: number;
  references: { source_name: string; url?: string; description?: string }[];
}

export interface EventRecord {
  key: string;
  provider: string;
  providerSlug: string;
  providerName: string;
  eventId: number;
  title: string;
  channel: string;
  platform: string;
  description?: string;
  catalogFields: { name: string; canonical: string; type: string }[];
  rules: RuleRef[];
  techniques: { id: string; name: string; rules: number }[];
  fields: FieldRow[];
  indicators: IndicatorRow[];
  indicatorCount: number;
}

export interface TacticRecord {
  id: string;
  shortname: string;
  name: string;
  techniques: string[];
}

/** Everything the site renders, computed once. */
export interface SiteIndex {
  buildDate: string;
  attackVersion: string;
  sources: SourceReport[];
  /** Catalog-level diagnostics shown on the report (warnings only; errors fail the build). */
  tactics: TacticRecord[];
  rules: RuleRecord[];
  techniques: TechniqueRecord[];
  /** Revoked technique id -> replacement, for redirect pages. */
  redirects: { from: string; to: string }[];
  events: EventRecord[];
  fields: FieldRow[];
  /** Per canonical field: its most used values across the catalog (field pages). */
  fieldValues: Record<string, IndicatorRow[]>;
}
