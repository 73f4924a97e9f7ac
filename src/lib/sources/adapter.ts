import type { Catalog } from '../catalog/load.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AdapterResult, SourceFile } from '../model/rule.js';

/** What an adapter may use while loading: our validated catalog and the source checkout. */
export interface AdapterContext {
  catalog: Catalog;
  /** Absolute path of the source checkout (for side files: Splunk macros, data_sources, stories). */
  sourceDir: string;
}

/**
 * One adapter per rule format. `prepare` runs once per source (Splunk reads its macros there);
 * `load` runs per file, never throws, and reports problems as diagnostics.
 */
export interface SourceAdapter<P = unknown> {
  format: 'sigma' | 'elastic' | 'splunk';
  /** Loads side data once per source; diagnostics from it are reported with the source. */
  prepare(ctx: AdapterContext): { prepared: P; diagnostics: Diagnostic[] };
  load(file: SourceFile, ctx: AdapterContext, prepared: P): AdapterResult;
}
