import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Catalog } from '../catalog/load.js';

/**
 * The validated catalog (maps of events and mapping tables) restored with v8 while `key` (the hash of
 * the catalog files and of the code) is unchanged. `dir` is set to the folder of this run, so
 * adapters reading their own tables from `catalog.dir` never read a stale path.
 */
export function cachedCatalog(file: string, catalogDir: string, key: string, load: () => Catalog): Catalog {
  try {
    const data = deserialize(readFileSync(file)) as { key: string; catalog: Catalog };
    if (data?.key === key && data.catalog) return { ...data.catalog, dir: resolve(catalogDir) };
  } catch {
    // missing or unreadable: load it
  }
  const catalog = load();
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize({ key, catalog }));
    renameSync(tmp, file);
  } catch {
    // a catalog v8 cannot copy is simply not cached
  }
  return catalog;
}
