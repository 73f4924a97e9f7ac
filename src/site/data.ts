import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventRecord, RuleRecord, SiteIndex, TechniqueRecord } from '../lib/aggregate/types.js';

/** Where scripts/build.ts leaves the computed index for the Astro pages. */
export const SITE_INDEX_FILE = resolve(process.env.SITE_INDEX_FILE ?? '.cache/site-index.json');

export interface SiteData {
  index: SiteIndex;
  rulesByKey: Map<string, RuleRecord>;
  techniquesById: Map<string, TechniqueRecord>;
  eventsByKey: Map<string, EventRecord>;
  tacticNames: Map<string, string>;
}

let cached: SiteData | null = null;

/**
 * Read the index once per build (never `import` it: bundling a large JSON doubles the cost) and
 * build the lookup maps pages use, so no page scans the whole dataset.
 */
export function siteData(): SiteData {
  if (cached) return cached;
  const index = JSON.parse(readFileSync(SITE_INDEX_FILE, 'utf8')) as SiteIndex;
  cached = {
    index,
    rulesByKey: new Map(index.rules.map((r) => [`${r.source}/${r.slug}`, r])),
    techniquesById: new Map(index.techniques.map((t) => [t.id, t])),
    eventsByKey: new Map(index.events.map((e) => [e.key, e])),
    tacticNames: new Map(index.tactics.map((t) => [t.shortname, t.name])),
  };
  return cached;
}

export const VENDOR_LABEL: Record<string, string> = { sigma: 'Sigma', elastic: 'Elastic', splunk: 'Splunk' };
