import { join } from 'node:path';
import type { Catalog } from '../catalog/load.js';
import type { SourceConfig } from '../catalog/schema.js';
import { cachedCatalog } from './catalog-cache.js';
import type { CollectOptions } from '../pipeline/collect.js';
import type { SourceAdapter } from '../sources/adapter.js';
import { hashCatalogDir, hashGlobs, sha256Hex, structuralHash } from './hash.js';
import { SourceEntries, type CacheStats } from './source-entries.js';
import { codeFingerprint } from './version.js';

export interface IndexCacheOptions {
  /** Cache folder, `.cache/index` for the CLIs. */
  dir: string;
  /** Our catalog folder: its YAML is part of every source's key (adapters read it). */
  catalogDir: string;
  /**
   * Treat a file as changed (a miss, so it is parsed again and the source's cache file rewritten),
   * as if its text had been edited. `npm run bench` uses it to time a warm run with one rule changed.
   */
  forceMiss?: (source: string, path: string) => boolean;
}

/**
 * Side files an adapter's `prepare` reads, per format, hashed when its prepared value cannot be
 * (it holds a function, e.g. a memoized lookup). Splunk expands macros from `macros/` and maps
 * fields with `data_sources/`: a macro edit must re-parse every Splunk detection.
 */
export const SIDE_INPUTS: Record<SourceConfig['format'], readonly string[]> = {
  sigma: [],
  elastic: [],
  splunk: ['{macros,data_sources,stories,lookups}/**/*.{yml,yaml}'],
};

/**
 * The incremental index: parsed files cached by content hash, one file per source under
 * `<dir>/files/`, keyed by INDEX_CACHE_VERSION + the parsing code's fingerprint + the catalog hash +
 * a hash of what the adapter prepared (its side inputs). Plug it into `collectSource` with
 * `adapterFor` (to see the prepared value) and `hook`; call `save` once the sources are collected.
 * Adapters' `load` must depend only on the file, the catalog and the prepared value (the contract
 * of SourceAdapter). Entries of files a run does not read (deleted, or left out by `collect.filter`)
 * are dropped on save.
 */
export class IndexCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, dropped: 0, bytesRead: 0, bytesWritten: 0 };
  /** Milliseconds spent hashing keys and reading cache files (inside the adapters' `prepare`). */
  openTime = 0;
  /** Milliseconds spent writing cache files. */
  saveTime = 0;
  private readonly sources = new Map<string, SourceEntries>();
  private catalogHash: string | null = null;

  constructor(readonly opts: IndexCacheOptions) {}

  /** The collect hook: cached result for identical text, recorded result after a parse. */
  readonly hook: NonNullable<CollectOptions['cache']> = {
    get: (source, path, text) => this.sources.get(source)?.get(path, text, this.opts.forceMiss?.(source, path) ?? false) ?? null,
    set: (source, path, text, value) => this.sources.get(source)?.set(path, text, value),
  };

  /**
   * Wrap an adapter so that its `prepare` also opens this source's cache under a key that includes
   * the prepared value: anything `prepare` read (macros, data sources, our tables) is in the key.
   */
  adapterFor<P>(config: SourceConfig, adapter: SourceAdapter<P>): SourceAdapter<P> {
    return {
      format: adapter.format,
      load: (file, ctx, prepared) => adapter.load(file, ctx, prepared),
      prepare: (ctx) => {
        const res = adapter.prepare(ctx);
        const t = performance.now();
        const key = sha256Hex(codeFingerprint(), this.catalog(), config.id, adapter.format, preparedHash(res.prepared, ctx.catalog, ctx.sourceDir, adapter.format));
        this.sources.set(config.id, new SourceEntries(join(this.opts.dir, 'files', `${config.id}.bin`), key, this.stats));
        this.openTime += performance.now() - t;
        return res;
      },
    };
  }

  /**
   * Our catalog from `<dir>/catalog.bin` while its files are unchanged (YAML parsing and zod
   * validation are skipped), else from `load()`, which throws CatalogError on our own mistakes.
   */
  loadCatalog(load: () => Catalog): Catalog {
    return cachedCatalog(join(this.opts.dir, 'catalog.bin'), this.opts.catalogDir, sha256Hex(codeFingerprint(), this.catalog()), load);
  }

  /** Write every source's cache file that changed; sources not collected this run keep theirs. */
  save(): void {
    const t = performance.now();
    for (const s of this.sources.values()) s.save();
    this.saveTime += performance.now() - t;
  }

  /** Hash of the catalog files (computed once per run). */
  catalogFilesHash(): string {
    return this.catalog();
  }

  private catalog(): string {
    this.catalogHash ??= hashCatalogDir(this.opts.catalogDir);
    return this.catalogHash;
  }
}

/**
 * Hash of an adapter's prepared value (the catalog inside it is skipped: its files are in the key
 * already); the hash of its side files when it holds something that cannot be hashed (a function).
 */
function preparedHash(prepared: unknown, catalog: Catalog, sourceDir: string, format: SourceConfig['format']): string {
  const h = structuralHash(prepared, new Set([catalog]));
  return h !== null ? 'value:' + h : 'files:' + hashGlobs(sourceDir, SIDE_INPUTS[format]);
}
