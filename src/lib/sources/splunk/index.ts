import type { SourceAdapter } from '../adapter.js';
import { prepareSplunk, type SplunkPrepared } from './prepare.js';
import { loadSplunkFile } from './rule.js';

/**
 * Splunk security_content: `prepare` reads macros, data sources, stories and lookups once (and our
 * catalog/logsources/splunk.yaml); `load` turns each `detections/**.yml` into a RuleDraft whose
 * search is macro-expanded, parsed and normalized with the `cim` table.
 */
export const splunkAdapter: SourceAdapter<SplunkPrepared> = {
  format: 'splunk',
  prepare: prepareSplunk,
  load: (file, ctx, prepared) => loadSplunkFile(file, ctx, prepared),
};

export type { SplunkPrepared } from './prepare.js';
export { loadSplunkLogsources, splunkLogsourceFileSchema, type SplunkLogsources, type SplunkLogsourceFile } from './logsources.js';
export { splitDataSources, trailingEventIds, resolveDataSource } from './events.js';
export { loadSplunkYaml } from './yaml-load.js';
