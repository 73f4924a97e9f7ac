import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  eventProviderFileSchema,
  mappingTableSchema,
  sigmaLogsourceFileSchema,
  type CatalogEvent,
  type EventProviderFile,
  type MappingTable,
  type SigmaLogsourceFile,
} from './schema.js';

/** A catalog event with its provider, addressed by `key` = `<provider slug>-<event id>`. */
export interface EventEntry extends CatalogEvent {
  key: string;
  provider: string;
  providerSlug: string;
  providerName: string;
  channel: string;
  platform: EventProviderFile['platform'];
}

export interface Catalog {
  /** Absolute path of catalog/. Adapters read their own tables (catalog/logsources/<format>.yaml) from here. */
  dir: string;
  events: Map<string, EventEntry>;
  mappings: Map<string, MappingTable>;
  sigmaLogsources: SigmaLogsourceFile;
}

/** Thrown when one of our own catalog files is wrong: the build must stop. */
export class CatalogError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`catalog has ${diagnostics.length} error(s):\n` + diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n'));
    this.name = 'CatalogError';
  }
}

/**
 * Read and validate one YAML file of ours with a zod schema. Problems come back as diagnostics with
 * the line of the offending key when it can be found.
 */
export function readCatalogYaml<S extends z.ZodTypeAny>(
  file: string,
  displayPath: string,
  schema: S,
  diagnostics: Diagnostic[],
): z.infer<S> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    diagnostics.push({ ...diagnosticAt('catalog/unreadable', `cannot read ${displayPath}: ${(e as Error).message}`, 'check that the file exists and is readable'), file: displayPath });
    return null;
  }
  let data: unknown;
  try {
    data = yaml.load(text, { filename: displayPath, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    const err = e as yaml.YAMLException;
    diagnostics.push({
      ...diagnosticAt('catalog/yaml-syntax', err.reason ?? err.message, 'fix the YAML syntax of this catalog file', {
        line: (err.mark?.line ?? 0) + 1,
        column: (err.mark?.column ?? 0) + 1,
      }),
      file: displayPath,
    });
    return null;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keyPath = issue.path.join('.');
      const line = findKeyLine(text, issue.path);
      diagnostics.push({
        ...diagnosticAt('catalog/schema', `${keyPath || '(root)'}: ${issue.message}`, 'see src/lib/catalog/schema.ts for the expected shape', { line, column: 1 }),
        file: displayPath,
      });
    }
    return null;
  }
  return parsed.data;
}

/** Best-effort line of a key path in block YAML: the line of the deepest key found in order. */
export function findKeyLine(text: string, path: readonly (string | number)[]): number {
  const lines = text.split(/\r?\n/);
  let from = 0;
  let found = 1;
  for (const seg of path) {
    if (typeof seg === 'number') continue;
    const re = new RegExp(`^\\s*(- )?['"]?${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*:`);
    for (let i = from; i < lines.length; i++) {
      if (re.test(lines[i]!)) {
        found = i + 1;
        from = i + 1;
        break;
      }
    }
  }
  return found;
}

/** Load catalog/events, catalog/mappings and catalog/logsources/sigma.yaml; throws CatalogError on any problem. */
export function loadCatalog(dir: string): Catalog {
  const diagnostics: Diagnostic[] = [];
  const events = new Map<string, EventEntry>();
  const eventsDir = join(dir, 'events');
  for (const name of listYaml(eventsDir)) {
    const display = `catalog/events/${name}`;
    const file = readCatalogYaml(join(eventsDir, name), display, eventProviderFileSchema, diagnostics);
    if (!file) continue;
    for (const ev of file.events) {
      const key = `${file.slug}-${ev.id}`;
      if (events.has(key)) {
        diagnostics.push({ ...diagnosticAt('catalog/duplicate-event', `event ${key} is defined twice`, 'keep one definition per provider and event ID', { line: findKeyLine(ev.title, []) }), file: display });
        continue;
      }
      events.set(key, {
        ...ev,
        key,
        provider: file.provider,
        providerSlug: file.slug,
        providerName: file.providerName,
        channel: ev.channel ?? file.channel,
        platform: file.platform,
      });
    }
  }
  const mappings = new Map<string, MappingTable>();
  const mappingsDir = join(dir, 'mappings');
  for (const name of listYaml(mappingsDir)) {
    const display = `catalog/mappings/${name}`;
    const table = readCatalogYaml(join(mappingsDir, name), display, mappingTableSchema, diagnostics);
    if (!table) continue;
    if (mappings.has(table.id)) {
      diagnostics.push({ ...diagnosticAt('catalog/duplicate-table', `mapping table ${table.id} is defined twice`, 'give each table a unique id'), file: display });
      continue;
    }
    mappings.set(table.id, table);
  }
  const sigmaLogsources =
    readCatalogYaml(join(dir, 'logsources', 'sigma.yaml'), 'catalog/logsources/sigma.yaml', sigmaLogsourceFileSchema, diagnostics) ?? { mappings: [] };
  for (const [i, m] of sigmaLogsources.mappings.entries()) {
    for (const key of m.events) {
      if (!events.has(key)) {
        diagnostics.push({ ...diagnosticAt('catalog/unknown-event', `mappings[${i}] names unknown event ${key}`, 'add the event to catalog/events or fix the key') , file: 'catalog/logsources/sigma.yaml' });
      }
    }
    for (const t of m.tables) {
      if (!mappings.has(t)) {
        diagnostics.push({ ...diagnosticAt('catalog/unknown-table', `mappings[${i}] names unknown mapping table ${t}`, 'add catalog/mappings/<id>.yaml or fix the id'), file: 'catalog/logsources/sigma.yaml' });
      }
    }
  }
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  return { dir, events, mappings, sigmaLogsources };
}

function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort();
}
