import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { macroTable, type MacroDef } from '../../query/spl/index.js';
import type { AdapterContext } from '../adapter.js';
import { BUILTIN_MACROS } from './builtin-macros.js';
import { loadSplunkLogsources, type SplunkLogsources } from './logsources.js';
import { loadSplunkYaml } from './yaml-load.js';

/** A data source definition (`data_sources/*.yml`): where its events come from. */
export interface DataSourceInfo {
  name: string;
  id?: string;
  source?: string;
  sourcetype?: string;
  /** Field whose value tells the events of this source apart (`EventCode`, `EventID`, `eventName`). */
  separator?: string;
  file: string;
}

export interface StoryInfo {
  name: string;
  id?: string;
  description?: string;
}

export interface LookupInfo {
  name: string;
  description?: string;
  filename?: string;
}

/** Side data read once per source (macros, data sources, stories, lookups) and our tables. */
export interface SplunkPrepared {
  macros: Map<string, MacroDef>;
  /** lower-case name -> definition */
  dataSources: Map<string, DataSourceInfo>;
  /** lower-case name -> story */
  stories: Map<string, StoryInfo>;
  lookups: Map<string, LookupInfo>;
  logsources: SplunkLogsources;
  /** Side files read with the fallback YAML parser, and those that could not be read at all. */
  yamlFallbacks: string[];
  yamlFailures: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read `macros/`, `data_sources/`, `stories/` and `lookups/` of a security_content checkout, and our
 * catalog/logsources/splunk.yaml (whose errors throw a CatalogError). Third-party problems become
 * diagnostics; a missing folder is a warning (its rules still load, with unknown macros).
 */
export function prepareSplunk(ctx: AdapterContext): { prepared: SplunkPrepared; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const logsources = loadSplunkLogsources(ctx.catalog);
  const yamlFallbacks: string[] = [];
  const yamlFailures: string[] = [];
  const each = (folder: string, fn: (doc: Record<string, unknown>, file: string) => void, required: boolean): void => {
    const dir = join(ctx.sourceDir, folder);
    if (!existsSync(dir)) {
      if (required) diagnostics.push({ ...diagnosticAt('splunk/missing-folder', `${folder}/ is missing from the source`, `without ${folder}/ its definitions are unknown; check the source dir`, { line: 0, column: 0 }, 'warning'), file: folder });
      return;
    }
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort()) {
      const file = `${folder}/${name}`;
      let text: string;
      try {
        text = readFileSync(join(dir, name), 'utf8');
      } catch (e) {
        diagnostics.push({ ...diagnosticAt('splunk/unreadable', `cannot read ${file}: ${(e as Error).message}`, 'check file permissions', { line: 0, column: 0 }), file });
        continue;
      }
      const loaded = loadSplunkYaml(text, file);
      for (const d of loaded.diagnostics) diagnostics.push(d);
      if (loaded.fallback) yamlFallbacks.push(file);
      if (loaded.data === undefined) yamlFailures.push(file);
      if (isRecord(loaded.data)) fn(loaded.data, file);
    }
  };

  const macroDefs: MacroDef[] = [...BUILTIN_MACROS];
  each('macros', (d, file) => {
    const name = str(d.name);
    const definition = str(d.definition);
    if (!name || definition === undefined) {
      diagnostics.push({ ...diagnosticAt('splunk/bad-macro', 'macro file without `name` or `definition`', 'give the macro a name and a definition', { line: 1, column: 1 }, 'warning'), file });
      return;
    }
    const args = Array.isArray(d.arguments) ? d.arguments.map((a) => String(a)) : [];
    macroDefs.push({ name, arguments: args, definition });
  }, true);

  const dataSources = new Map<string, DataSourceInfo>();
  each('data_sources', (d, file) => {
    const name = str(d.name);
    if (!name) return;
    const info: DataSourceInfo = { name, file };
    for (const k of ['id', 'source', 'sourcetype', 'separator'] as const) {
      const v = str(d[k]);
      if (v) info[k] = v;
    }
    dataSources.set(name.toLowerCase(), info);
  }, true);

  const stories = new Map<string, StoryInfo>();
  each('stories', (d) => {
    const name = str(d.name);
    if (!name) return;
    const info: StoryInfo = { name };
    const id = str(d.id);
    const description = str(d.description);
    if (id) info.id = id;
    if (description) info.description = description;
    stories.set(name.toLowerCase(), info);
  }, false);

  const lookups = new Map<string, LookupInfo>();
  each('lookups', (d) => {
    const name = str(d.name);
    if (!name) return;
    const info: LookupInfo = { name };
    const description = str(d.description);
    const filename = str(d.filename);
    if (description) info.description = description;
    if (filename) info.filename = filename;
    lookups.set(name, info);
  }, false);

  return {
    prepared: { macros: macroTable(macroDefs), dataSources, stories, lookups, logsources, yamlFallbacks, yamlFailures },
    diagnostics,
  };
}
