import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadAttack } from '../attack/load.js';
import { CatalogError, loadCatalog } from '../catalog/load.js';
import { FieldMapper } from '../normalize/field-mapper.js';
import { aggregateIndex, normalizeRules, type IndexInput, type LoadedSource } from '../aggregate/build-index.js';
import { corpusStats } from '../aggregate/scope.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleDraft } from '../model/rule.js';
import type { RuleRecord } from '../aggregate/types.js';
import { sha256Hex } from '../cache/hash.js';
import { indexCodeFingerprint } from '../cache/version.js';
import { stateDir, warmIndex, writeFullState, type IncrementalInput, type WarmRefusal, type WarmStats } from '../incremental/warm.js';
import { walkDirs } from '../incremental/state.js';
import { acquireLock } from '../incremental/lock.js';
import type { SiteIndex } from '../aggregate/types.js';
import { loadSourcesConfig } from './config.js';
import { collectSource, type CollectOptions, type CollectTimings } from './collect.js';
import { ADAPTERS } from './adapters.js';
import { attackView } from './attack-view.js';
// Incremental index cache (src/lib/cache): parsed files by content hash, ATT&CK by bundle hash.
import { IndexCache, cachedAttackView, type CacheStats, type IndexCacheOptions } from '../cache/index.js';

export interface IndexOptions {
  sourcesFile: string;
  root?: string;
  catalogDir?: string;
  /** Lock file with pinned commits (and dates) of the sources; optional. */
  lockFile?: string;
  collect?: CollectOptions;
  /**
   * Incremental index cache folder (`.cache/index` in the CLIs; see src/lib/cache). Unchanged rule
   * files are not parsed again and ATT&CK is not re-read from its bundle. Off when absent.
   */
  cacheDir?: string | null;
  /** Cache tuning; `forceMiss` lets the bench time a warm run with one rule file changed. */
  cacheOptions?: Pick<IndexCacheOptions, 'forceMiss'>;
  /**
   * With a cache: start from the previous run's index state when few rule files changed
   * (src/lib/incremental), and leave the state for the next run. Default true.
   */
  incremental?: boolean;
  /** Progress hook per source. */
  onSource?: (id: string, phase: 'start' | 'done', detail?: { files: number; rules: number }) => void;
}

export interface IndexTimings extends CollectTimings {
  attack: number;
  catalog: number;
  normalize: number;
  aggregate: number;
  /** Cache keys, reading and writing cache files (0 without a cache). */
  cache: number;
  total: number;
}

export interface IndexRun {
  index: SiteIndex;
  timings: IndexTimings;
  /** Cache hits and misses of this run, when a cache was used. */
  cache?: CacheStats;
  /** How the incremental index went: `warm` (with its figures), or why a full run was made. */
  incremental?: { mode: 'warm'; stats: WarmStats } | { mode: 'full'; reason: WarmRefusal; stateBytes: number };
}

interface LockEntry {
  commit?: string;
  date?: string;
}

function readLock(file: string | undefined): Record<string, LockEntry> {
  if (!file || !existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      sources?: Record<string, LockEntry>;
    };
    return data.sources ?? {};
  } catch {
    return {};
  }
}

/** HEAD commit and its date of a git checkout, or null when the folder is not one. */
function gitHead(dir: string): { commit: string; date: string } | null {
  if (!existsSync(join(dir, '.git'))) return null;
  try {
    const out = execFileSync('git', ['-C', dir, 'log', '-1', '--format=%H %cI'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const [commit, date] = out.split(' ');
    return commit && date ? { commit, date } : null;
  } catch {
    return null;
  }
}

/**
 * The build date: SOURCE_DATE_EPOCH when set, else the newest source commit date, else a fixed
 * epoch. Never the clock, so two builds of the same inputs are byte-identical.
 */
export function buildDate(dates: (string | undefined)[]): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  const valid = dates.filter((d): d is string => !!d && !Number.isNaN(Date.parse(d))).map((d) => new Date(d).toISOString());
  if (valid.length === 0) return '1970-01-01';
  return valid.sort().at(-1)!.slice(0, 10);
}

/** sources -> diagnostics + parsed rules -> normalized index -> aggregates. */
export function runIndex(opts: IndexOptions): IndexRun {
  const t0 = performance.now();
  const timings: IndexTimings = {
    load: 0,
    parse: 0,
    attack: 0,
    catalog: 0,
    normalize: 0,
    aggregate: 0,
    cache: 0,
    total: 0,
  };
  const cfg = loadSourcesConfig(opts.sourcesFile, opts.root);
  let t = performance.now();
  const catalogDir = resolve(opts.catalogDir ?? 'catalog');
  // Incremental cache (off without opts.cacheDir); it also keeps the validated catalog while its files are unchanged.
  const cache = opts.cacheDir
    ? new IndexCache({
        dir: resolve(opts.cacheDir),
        catalogDir,
        ...opts.cacheOptions,
      })
    : null;
  const catalog = cache ? cache.loadCatalog(() => loadCatalog(catalogDir)) : loadCatalog(catalogDir);
  const mapper = new FieldMapper(catalog.mappings.values());
  timings.catalog = performance.now() - t;

  t = performance.now();
  const crosswalk = join(catalog.dir, 'attack', 'crosswalk-v19.yaml');
  const bundles = [cfg.file.attack.bundle].flat().map((b) => join(cfg.root, b));
  const bundle = bundles.find((b) => existsSync(b)) ?? bundles[0]!;
  const crosswalkFile = existsSync(crosswalk) ? crosswalk : undefined;
  const readAttack = () => {
    const { attack, diagnostics: attackDiags } = loadAttack(bundle, crosswalkFile);
    if (attackDiags.some((d) => d.severity === 'error')) throw new CatalogError(attackDiags.filter((d) => d.severity === 'error'));
    return attack;
  };
  // With a cache, the reduced ATT&CK model comes from .cache/index/attack.bin while the bundle's hash is unchanged.
  let attackKey: string | null = null;
  const attack = cache ? cachedAttackView(resolve(opts.cacheDir!), bundle, crosswalkFile, readAttack, (k) => (attackKey = k)) : attackView(readAttack());
  timings.attack = performance.now() - t;

  const lock = readLock(opts.lockFile ?? cfg.file.lock);
  const heads = cfg.file.sources.map((src) => {
    const dir = resolve(cfg.root, src.dir);
    const head = gitHead(dir);
    return {
      config: src,
      dir,
      commit: head?.commit ?? lock[src.id]?.commit ?? src.commit ?? null,
      date: head?.date ?? lock[src.id]?.date,
    };
  });
  const date = buildDate(heads.map((h) => h.date));

  // Incremental: a warm run from the previous state when it fits, else a full run that writes one.
  let incremental: IncrementalInput | null =
    cache && attackKey && !opts.collect?.filter && opts.incremental !== false
      ? {
          dir: stateDir(opts.cacheDir!),
          key: sha256Hex(indexCodeFingerprint(), cache.catalogFilesHash(), attackKey, JSON.stringify(heads.map((h) => [h.config, h.dir]))),
          sources: heads,
          buildDate: date,
          attack,
          catalog,
          mapper,
        }
      : null;
  let refusal: WarmRefusal | null = null;
  // Another run holding this state folder: run in full without it (and leave it alone).
  const release = incremental ? acquireLock(incremental.dir) : null;
  if (incremental && !release) {
    refusal = 'locked';
    incremental = null;
  }
  try {
    return indexWith(incremental, refusal);
  } finally {
    release?.();
  }

  function indexWith(incremental: IncrementalInput | null, refusal: WarmRefusal | null): IndexRun {
    if (incremental) {
      const warm = warmIndex(incremental, timings, opts.cacheOptions?.forceMiss ? { forceMiss: opts.cacheOptions.forceMiss } : {});
      if (typeof warm !== 'string') {
        for (const r of warm.index.sources) opts.onSource?.(r.id, 'done', { files: r.files, rules: r.rules });
        timings.total = performance.now() - t0;
        return {
          index: warm.index,
          timings,
          cache: cache!.stats,
          incremental: { mode: 'warm', stats: warm.stats },
        };
      }
      refusal = warm;
    }

    // Folders before files (see SourceShell.dirs): what changes while this run lists is seen by the next.
    const dirs = incremental ? heads.map((h) => walkDirs(h.dir)) : [];
    const sources: LoadedSource[] = [];
    for (const h of heads) {
      const src = h.config;
      opts.onSource?.(src.id, 'start');
      // With a cache, the adapter is wrapped so its prepared side inputs key the source's cache file.
      const adapter = cache ? cache.adapterFor(src, ADAPTERS[src.format]) : ADAPTERS[src.format];
      const collect = cache ? { ...opts.collect, cache: cache.hook, trace: incremental !== null } : opts.collect;
      const loaded = collectSource(src, h.dir, h.commit, adapter, catalog, timings, collect);
      opts.onSource?.(src.id, 'done', {
        files: loaded.report.files,
        rules: loaded.report.rules,
      });
      sources.push(loaded);
    }
    if (cache) {
      cache.save();
      // Opening the cache happens inside the adapters' prepare (timed as parse): count it as cache.
      timings.cache = cache.openTime + cache.saveTime;
      timings.parse -= cache.openTime;
    }
    const input: IndexInput = {
      buildDate: date,
      attack,
      catalog,
      mapper,
      sources,
    };
    t = performance.now();
    const normalized = new Map<RuleDraft, { record: RuleRecord; diagnostics: Diagnostic[] }>();
    const rules = normalizeRules(input, incremental ? (draft, record, diagnostics) => normalized.set(draft, { record, diagnostics }) : undefined);
    timings.normalize = performance.now() - t;
    t = performance.now();
    const stats = corpusStats(rules);
    const index = aggregateIndex(input, rules, { stats });
    timings.aggregate = performance.now() - t;
    let stateBytes = 0;
    if (incremental) {
      t = performance.now();
      stateBytes = writeFullState(incremental, dirs, sources, normalized, index, stats);
      timings.cache += performance.now() - t;
    }
    timings.total = performance.now() - t0;
    if (incremental || refusal)
      return {
        index,
        timings,
        cache: cache!.stats,
        incremental: { mode: 'full', reason: refusal ?? 'no-state', stateBytes },
      };
    return cache ? { index, timings, cache: cache.stats } : { index, timings };
  }
}
