import type { SourceAdapter } from '../sources/adapter.js';
import { sigmaAdapter } from '../sources/sigma/index.js';
import { elasticAdapter } from '../sources/elastic/index.js';
import { splunkAdapter } from '../sources/splunk/index.js';

/** Registry: one adapter per rule format. Adding a source format means adding one line here. */
export const ADAPTERS: Record<'sigma' | 'elastic' | 'splunk', SourceAdapter<any>> = {
  sigma: sigmaAdapter,
  elastic: elasticAdapter,
  splunk: splunkAdapter,
};
