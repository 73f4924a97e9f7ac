import type { Logic } from '../../model/logic.js';

/**
 * One command of a pipeline, reduced to what the catalog uses. A uniform record with optional
 * facets (rather than one variant per SPL command) because SPL has hundreds of commands and the
 * analysis only asks four questions of each: does it filter, which fields does it create, which
 * dataset does it read, and does it embed another pipeline.
 */
export interface SplCommand {
  /** Lower-case command name; `search` for the implicit leading search; `macro` for an unexpanded macro. */
  name: string;
  /** Source text of the command (without the leading `|`), trimmed. */
  text: string;
  /** Offsets of `text` in the parsed string. */
  start: number;
  end: number;
  /** Filtering logic: leading search, `| search`, `| where`, `| regex`, tstats `where`. */
  filter?: Logic;
  /** Fields this command creates (eval, rex, stats aggregates, rename targets, lookup OUTPUT...); `*` globs allowed. */
  creates: string[];
  /** Data set read by a generating command: `Endpoint.Processes`, `Network_Resolution` (no node given). */
  datamodel?: string;
  /** Datamodel node restrictions seen as `nodename=` (tstats) or the node part of `datamodel=`. */
  nodes?: string[];
  /** `by` fields (tstats, stats family), without `span=`. */
  by?: string[];
  /** Lookup table named by lookup / inputlookup / outputlookup. */
  table?: string;
  /** Embedded pipelines that feed the results (join/append/union subsearches). */
  subsearches: SplSubsearch[];
}

/** A bracketed subsearch that brings in other events (join/append): analyzed as a further step. */
export interface SplSubsearch {
  /** Command that embeds it: `join`, `append`, `appendcols`, `union`... */
  via: string;
  /** Join keys, when the command has them. */
  by: string[];
  pipeline: SplPipeline;
}

/** A parsed SPL search: its commands in order. */
export interface SplPipeline {
  commands: SplCommand[];
}

/** Facts about an analyzed search shown on the rule page and used by the Splunk adapter. */
export interface SplMeta {
  /** First CIM data model read (`Endpoint`), when the search reads one. */
  datamodel?: string;
  /** Data model nodes read (`Processes`, `Registry`), in order, unique. */
  nodes: string[];
  /** Every data set read, `Model.Node` (or `Model` alone), in order, unique: drives the event mapping. */
  datamodels: string[];
  /** Non-filtering commands as written (`stats count by dest`), in order. */
  commands: string[];
  /** Fields computed inside the search. */
  derivedFields: string[];
  /** `by` fields of the generating tstats, or of the first stats-family command. */
  by: string[];
  /** Lookup tables used (lookup, inputlookup, outputlookup), in order, unique. */
  lookups: string[];
}
