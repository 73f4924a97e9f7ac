import type { MappingTable } from '../catalog/schema.js';

/** Where a canonical field name came from, so a rule page can say `Image -> process.executable (sigma-windows)`. */
export interface FieldMapping {
  canonical: string;
  /** Mapping table id that resolved the field. */
  table: string;
  /** `table`: named explicitly; `fallback`: the table's fallback rule (identity or namespace prefix). */
  via: 'table' | 'fallback';
}

interface CompiledTable {
  id: string;
  exact: Map<string, string>;
  folded: Map<string, string> | null;
  fallback: (raw: string) => string;
}

/**
 * Resolves raw vendor field names through an ordered list of mapping tables. Tables are compiled
 * once; lookups are memoized per table list, so normalizing the whole corpus stays linear.
 */
export class FieldMapper {
  private readonly compiled = new Map<string, CompiledTable>();
  private readonly memo = new Map<string, FieldMapping>();

  constructor(tables: Iterable<MappingTable>) {
    for (const t of tables) this.compiled.set(t.id, compileTable(t));
  }

  /** Table ids known to the mapper (used to validate adapters' table lists). */
  has(id: string): boolean {
    return this.compiled.has(id);
  }

  /** Map a raw field with the rule's tables, most specific first; unknown table ids are skipped. */
  map(raw: string, tableIds: readonly string[]): FieldMapping {
    const memoKey = tableIds.join('\u0001') + '\u0000' + raw;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const tables = tableIds.map((id) => this.compiled.get(id)).filter((t): t is CompiledTable => t !== undefined);
    let result: FieldMapping | undefined;
    for (const t of tables) {
      const canonical = t.exact.get(raw) ?? t.folded?.get(raw.toLowerCase());
      if (canonical !== undefined) {
        result = { canonical, table: t.id, via: 'table' };
        break;
      }
    }
    if (!result) {
      const first = tables[0];
      result = first ? { canonical: first.fallback(raw), table: first.id, via: 'fallback' } : { canonical: raw, table: 'none', via: 'fallback' };
    }
    this.memo.set(memoKey, result);
    return result;
  }
}

function compileTable(t: MappingTable): CompiledTable {
  const exact = new Map(Object.entries(t.fields));
  const folded = t.caseInsensitive ? new Map(Object.entries(t.fields).map(([k, v]) => [k.toLowerCase(), v])) : null;
  const prefix = t.fallback.startsWith('prefix:') ? t.fallback.slice('prefix:'.length) : null;
  return {
    id: t.id,
    exact,
    folded,
    fallback: prefix === null ? (raw) => raw : (raw) => (raw.startsWith(prefix) ? raw : prefix + raw),
  };
}
