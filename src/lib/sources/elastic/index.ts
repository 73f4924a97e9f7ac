import { diagnosticAt } from '../../diagnostics/diagnostic.js';
import type { SourceAdapter } from '../adapter.js';
import { ElasticEventResolver } from './events.js';
import { loadElasticLogsources } from './logsources.js';
import { loadElasticFile, type ElasticPrepared } from './rule.js';

export type { ElasticPrepared } from './rule.js';
export { loadElasticFile } from './rule.js';
export { ElasticEventResolver, partSignals, indexSelects } from './events.js';
export { loadElasticLogsources, elasticLogsourceFileSchema } from './logsources.js';
export { filterToLogic, dslToLogic, esWildcardToGlob } from './filters.js';

/**
 * Adapter for elastic/detection-rules TOML (`rules/**`, `rules_building_block/**`; `_deprecated`
 * rules load as deprecated). `prepare` loads catalog/logsources/elastic.yaml and throws on our own
 * catalog errors; `load` never throws.
 */
export const elasticAdapter: SourceAdapter<ElasticPrepared> = {
  format: 'elastic',
  prepare(ctx) {
    const table = loadElasticLogsources(ctx.catalog);
    return { prepared: { resolver: new ElasticEventResolver(table, ctx.catalog) }, diagnostics: [] };
  },
  load(file, _ctx, prepared) {
    try {
      return loadElasticFile(file, prepared);
    } catch (e) {
      // a bug in a parser must not stop the build: report it against the file
      const message = `internal error while loading this rule: ${(e as Error).message}`;
      return { rules: [], failed: 1, diagnostics: [{ ...diagnosticAt('elastic/internal-error', message, 'please report this with the rule file', { line: 1, column: 1 }), file: file.path }] };
    }
  },
};
