/**
 * What changed between two builds. Everything here is computed from two snapshots (never the
 * clock), sorted, and holds third-party rule text: pages and feeds escape every string.
 */

/** One build's state, reduced to what a comparison needs (kept in `.cache/index/previous-index.json`). */
export interface ChangeSnapshot {
  format: 1;
  buildDate: string;
  attackVersion: string;
  sources: SnapshotSource[];
  /** Sorted by source, then slug. */
  rules: SnapshotRule[];
}

export interface SnapshotSource {
  id: string;
  title: string;
  repo: string | null;
  commit: string | null;
}

export interface SnapshotRule {
  source: string;
  id: string;
  slug: string;
  title: string;
  path: string;
  deprecated: boolean;
  techniques: string[];
  events: string[];
  /** Every predicate as one readable line (`predicateLine`), in rule order. */
  predicates: string[];
  /** Distinct condition indicator keys, each with the index of a predicate line that shows it. */
  indicators: [key: string, line: number][];
}

/** A list before/after, as what was added and what was removed (each sorted). */
export interface ListDiff {
  added: string[];
  removed: string[];
}

export interface RuleSummary {
  source: string;
  id: string;
  slug: string;
  title: string;
  path: string;
  techniques: string[];
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One rule added, removed or changed (predicates, techniques, title, events or deprecation). */
export interface RuleChange {
  kind: ChangeKind;
  /** The rule as it is now (as it was, for a removed rule). */
  rule: RuleSummary;
  /** Title before a rename. */
  previousTitle?: string;
  /** Changed rules: predicate lines added/removed. Added rules: all their predicate lines. */
  predicates?: ListDiff;
  techniques?: ListDiff;
  events?: ListDiff;
  /** Set when the rule was deprecated or un-deprecated upstream. */
  deprecated?: { before: boolean; after: boolean };
  /** Predicate lines left out of `predicates` to bound the size of a huge rule's entry. */
  truncated?: number;
}

export interface SourceChanges {
  id: string;
  title: string;
  repo: string | null;
  /** Upstream commit range of this comparison (null for a folder that is not a git checkout). */
  from: string | null;
  to: string | null;
  /** `new`: not in the previous build; `gone`: no longer built. */
  status: 'same' | 'new' | 'gone';
  added: number;
  removed: number;
  changed: number;
  /** Sorted: added, changed, removed; then by slug. */
  rules: RuleChange[];
}

/** A condition value no rule under the technique checked before this build. */
export interface NewIndicator {
  key: string;
  /** The predicate line of one rule using it, e.g. `process.command_line wildcard "*-enc*"`. */
  text: string;
  /** Rules under the technique (sub-techniques included) that use it now. */
  rules: { source: string; slug: string; title: string }[];
}

export interface TechniqueChanges {
  id: string;
  name: string;
  /** Changes of rules tagged with it or one of its sub-techniques, before or after. */
  rules: { source: string; slug: string; kind: ChangeKind; title: string }[];
  newIndicators: NewIndicator[];
  /** New indicator count before `newIndicators` was truncated. */
  newIndicatorCount: number;
}

export interface ChangeSet {
  format: 1;
  buildDate: string;
  /** Null on a first build (no previous build to compare with). */
  previousBuildDate: string | null;
  firstBuild: boolean;
  attackVersion: { before: string | null; after: string };
  counts: { added: number; removed: number; changed: number };
  sources: SourceChanges[];
  /** Techniques with changed rules or new indicators, sorted by ID. */
  techniques: TechniqueChanges[];
}

/** What the `/changes/` page and the feeds show: this build's comparison and recent non-empty ones. */
export interface ChangeLog {
  format: 1;
  /** This build against the previous one (may be empty, or a first build). */
  current: ChangeSet;
  /** Recent change sets with at least one rule change, newest first (includes `current` when non-empty). */
  history: ChangeSet[];
}
