import type { Catalog } from '../../src/lib/catalog/load.js';
import type { SigmaLogsource, SigmaLogsourceFile } from '../../src/lib/catalog/schema.js';
import { FieldMapper } from '../../src/lib/normalize/field-mapper.js';
import { findLogsourceEntry } from '../../src/lib/sources/sigma/logsource.js';

type Entry = SigmaLogsourceFile['mappings'][number];

/**
 * The entry of catalog/logsources/sigma.yaml a rule's log source selects, by the rule documented at
 * the top of that file. Delegates to the Sigma adapter's matcher so the catalog is tested the way
 * the build reads it.
 */
export function matchSigmaLogsource(file: SigmaLogsourceFile, logsource: SigmaLogsource): Entry | undefined {
  return findLogsourceEntry(file.mappings, logsource) ?? undefined;
}

const mappers = new WeakMap<Catalog, FieldMapper>();

/** A raw field resolved through an ordered table list by the normalizer's engine; `explicit` when a table names it. */
export function resolveField(catalog: Catalog, raw: string, tableIds: readonly string[]): { canonical: string; explicit: boolean } {
  let mapper = mappers.get(catalog);
  if (!mapper) {
    mapper = new FieldMapper(catalog.mappings.values());
    mappers.set(catalog, mapper);
  }
  const m = mapper.map(raw, tableIds);
  return { canonical: m.canonical, explicit: m.via === 'table' };
}
