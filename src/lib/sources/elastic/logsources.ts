import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CatalogError, readCatalogYaml, type Catalog } from '../../catalog/load.js';
import { slugSchema } from '../../catalog/schema.js';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';

const eventKeySchema = z.string().regex(/^[a-z0-9-]+-\d+$/, 'event key `<provider slug>-<event id>`');

/**
 * Where an Elastic rule reads from, recognised by its index patterns or by the dataset, channel or
 * provider its query names. `providers` are the catalog providers whose events that data carries.
 */
export const elasticSourceSchema = z
  .object({
    id: slugSchema,
    title: z.string().min(1),
    /** Index patterns of this data; a rule pattern at least as specific as one of these selects it. */
    indices: z.array(z.string().min(1)).default([]),
    /** `data_stream.dataset` / `event.dataset` values. */
    datasets: z.array(z.string().min(1)).default([]),
    /** `winlog.channel` values. */
    channels: z.array(z.string().min(1)).default([]),
    /** `winlog.provider_name` / `event.provider` values. */
    providerNames: z.array(z.string().min(1)).default([]),
    /** Catalog provider slugs (`sysmon`, `security-auditing`) whose events this data carries. */
    providers: z.array(slugSchema).min(1),
    /** Multi-OS data (Elastic Defend, generic logs): only used when the rule is a Windows rule. */
    requireWindows: z.boolean().default(false),
  })
  .strict();

/**
 * A kind of activity (process start, registry change...) recognised by event category plus
 * `event.type`/`event.action` values or the fields a rule reads, and the catalog events that record it.
 */
export const elasticBehaviorSchema = z
  .object({
    id: slugSchema,
    title: z.string().min(1),
    /** EQL event categories / `event.category` values; empty means any category. */
    categories: z.array(z.string().min(1)).default([]),
    /** `event.type` values that select this behavior. */
    types: z.array(z.string().min(1)).default([]),
    /** `event.action` values that select this behavior. */
    actions: z.array(z.string().min(1)).default([]),
    /** Fields whose use (outside exclusions) selects this behavior, e.g. `powershell.file.script_block_text`. */
    fields: z.array(z.string().min(1)).default([]),
    /** Chosen for its category when the rule names no type or action of any behavior of that category. */
    default: z.boolean().default(false),
    events: z.array(eventKeySchema).min(1),
  })
  .strict();

/** Index patterns that imply an event category (Elastic Defend's per-category data streams). */
export const elasticIndexCategorySchema = z
  .object({
    index: z.string().min(1),
    categories: z.array(z.string().min(1)).min(1),
  })
  .strict();

/** catalog/logsources/elastic.yaml. */
export const elasticLogsourceFileSchema = z
  .object({
    sources: z.array(elasticSourceSchema).min(1),
    indexCategories: z.array(elasticIndexCategorySchema).default([]),
    behaviors: z.array(elasticBehaviorSchema).min(1),
  })
  .strict();

export type ElasticSource = z.infer<typeof elasticSourceSchema>;
export type ElasticBehavior = z.infer<typeof elasticBehaviorSchema>;
export type ElasticLogsourceFile = z.infer<typeof elasticLogsourceFileSchema>;

const DISPLAY = 'catalog/logsources/elastic.yaml';

/**
 * Load and check our Elastic log source table. It is our own data, so a schema error, an unknown
 * event key or an unknown provider throws a CatalogError and stops the build.
 */
export function loadElasticLogsources(catalog: Catalog): ElasticLogsourceFile {
  const diagnostics: Diagnostic[] = [];
  const file = join(catalog.dir, 'logsources', 'elastic.yaml');
  const table = readCatalogYaml(file, DISPLAY, elasticLogsourceFileSchema, diagnostics);
  if (!table) throw new CatalogError(diagnostics);
  const lines = readFileSync(file, 'utf8').split('\n');
  const providers = new Set([...catalog.events.values()].map((e) => e.providerSlug));
  /** Report at the first line after the entry `id: <owner>` that mentions `word`. */
  const problem = (owner: string, word: string, message: string, hint: string): void => {
    const start = Math.max(0, lines.findIndex((l) => new RegExp(`^\\s*- id: ${owner}\\s*$`).test(l)));
    const at = lines.findIndex((l, i) => i >= start && l.includes(word));
    const line = at >= 0 ? at + 1 : start + 1;
    diagnostics.push({ ...diagnosticAt('catalog/elastic-logsource', message, hint, { line, column: Math.max(1, (lines[line - 1] ?? '').indexOf(word) + 1), length: word.length }), file: DISPLAY });
  };
  for (const s of table.sources) {
    for (const p of s.providers) if (!providers.has(p)) problem(s.id, p, `source ${s.id} names unknown provider ${p}`, 'use a provider slug from catalog/events');
  }
  for (const b of table.behaviors) {
    for (const key of b.events) if (!catalog.events.has(key)) problem(b.id, key, `behavior ${b.id} names unknown event ${key}`, 'add the event to catalog/events or fix the key');
  }
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  return table;
}
