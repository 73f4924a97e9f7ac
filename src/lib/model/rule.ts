import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { QueryPart } from './logic.js';
import type { QueryLanguage } from '../query/types.js';

export type Vendor = 'sigma' | 'elastic' | 'splunk';
export const VENDORS: readonly Vendor[] = ['sigma', 'elastic', 'splunk'];

/** A technique ID as tagged in the rule, with where it was written (for diagnostics). */
export interface TechniqueTag {
  /** Upper-case ATT&CK ID as tagged, e.g. `T1059.001`, `T1685`. */
  id: string;
  line: number;
  column: number;
}

/** A titled Markdown section the rule page shows (investigation guide, how to implement...). */
export interface RuleSection {
  title: string;
  markdown: string;
}

/**
 * What a source adapter makes of one rule, vendor-neutral. Everything here is untrusted text from a
 * third-party repository: pages escape it, URLs are filtered, `id` never becomes a path unsanitized.
 */
export interface RuleDraft {
  /** The vendor's own rule ID (Sigma `id`, Elastic `rule_id`, Splunk `id`); may be missing-then-derived. */
  id: string;
  title: string;
  /** Plain text or Markdown as the vendor wrote it. */
  description: string;
  vendor: Vendor;
  /** Path relative to the source dir, `/`-separated. */
  path: string;
  /** Vendor status: Sigma `status`, Elastic `maturity`, Splunk `status`. */
  status: string;
  deprecated: boolean;
  /** Sigma `level`, Elastic `severity`, Splunk derived from risk. */
  severity?: string;
  author?: string;
  date?: string;
  modified?: string;
  references: string[];
  falsePositives: string[];
  tags: string[];
  techniqueTags: TechniqueTag[];
  /** Vendor rule type: Sigma `detection`/`correlation`/`filter`; Elastic `query`/`eql`/`machine_learning`...; Splunk `TTP`/`Anomaly`... */
  type: string;
  language: QueryLanguage | null;
  /** The query as written (for Sigma: the detection block's YAML text). Null for rules without a query (ML). */
  query: string | null;
  /** 1-based line where `query` starts in the file, so the rule page can number lines like the upstream file. */
  queryLine?: number;
  /** Splunk: the search after macro expansion. */
  queryExpanded?: string;
  /** Filtering logic, one part per step (sequences) or a single part. */
  parts: QueryPart[];
  /** Human label of where the rule reads from: `windows / process_creation`, `logs-endpoint.events.process-*`, `Sysmon EventID 1`. */
  logsource: string;
  /** Catalog event keys (`sysmon-1`, `security-auditing-4688`) this rule reads. */
  events: string[];
  /** Mapping tables (catalog/mappings ids) to normalize this rule's fields, most specific first. */
  mappingTables: string[];
  /** Vendor extras for the rule page: threshold, new_terms, ML jobs, sequence by/maxspan, stories... */
  meta: Record<string, unknown>;
  sections: RuleSection[];
}

/** What an adapter returns for one file: zero or more rules (a Sigma file may hold several documents). */
export interface AdapterResult {
  rules: RuleDraft[];
  diagnostics: Diagnostic[];
  /** Files that are legitimately not rules (Splunk macros loaded elsewhere, Sigma filters...) say why. */
  ignored?: string;
  /** Rules that were recognised but could not be published (counted as `failed`). */
  failed?: number;
  /** Query language of the failed rule (`kuery`, `eql`, `spl`...), for the per-language report. */
  failedLanguage?: string;
}

/** One file of a source, read by the orchestrator. */
export interface SourceFile {
  /** Relative to the source dir, `/`-separated. */
  path: string;
  text: string;
}
