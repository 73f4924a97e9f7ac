import { resolve } from 'node:path';
import { CatalogError, readCatalogYaml } from '../catalog/load.js';
import { sourcesFileSchema, type SourcesFile } from '../catalog/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface ResolvedSources {
  file: SourcesFile;
  /** Absolute root the `dir`s are relative to. */
  root: string;
  /** Absolute path of the config file. */
  path: string;
}

/**
 * Read a sources file (catalog/sources.yaml or sources.upstream.yaml). It is ours, so a problem in
 * it fails the build with a CatalogError. Dirs resolve against `root` (default: the cwd).
 */
export function loadSourcesConfig(path: string, root?: string): ResolvedSources {
  const diagnostics: Diagnostic[] = [];
  const abs = resolve(path);
  const file = readCatalogYaml(abs, path, sourcesFileSchema, diagnostics);
  if (!file) throw new CatalogError(diagnostics);
  const ids = new Set<string>();
  for (const s of file.sources) {
    if (ids.has(s.id)) throw new CatalogError([{ code: 'catalog/duplicate-source', severity: 'error', message: `source id ${s.id} is used twice`, hint: 'give each source a unique id', file: path, line: 1, column: 1 }]);
    ids.add(s.id);
  }
  return { file, root: resolve(root ?? '.'), path: abs };
}
