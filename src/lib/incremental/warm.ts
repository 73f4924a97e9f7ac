import { existsSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalog } from '../catalog/load.js';
import type { SourceConfig } from '../catalog/schema.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareDiagnostics } from '../diagnostics/format.js';
import type { RuleDraft } from '../model/rule.js';
import type { Scalar } from '../model/logic.js';
import type { FieldMapper } from '../normalize/field-mapper.js';
import {
  aggregateIndex,
  normalizeDraft,
  ruleUpstreamUrl,
  sortDrafts,
  slugBase,
  sortRules,
  claimSlug,
  type AttackView,
  type IndexInput,
  type LoadedSource,
} from '../aggregate/build-index.js';
import { FactsTable, corpusStats, ruleFactsData, ruleIndicators, valueKey, type CorpusStats } from '../aggregate/scope.js';
import type { EventRecord, RuleRecord, SiteIndex, SourceReport, TechniqueRecord } from '../aggregate/types.js';
import { accountFile, collectFile, hasAnyPredicate, listSourceFiles, type CollectTimings, type FileTrace } from '../pipeline/collect.js';
import { ADAPTERS } from '../pipeline/adapters.js';
import { SIDE_INPUTS } from '../cache/index-cache.js';
import { decodeEntry } from '../cache/codec.js';
import { sha256Raw } from '../cache/hash.js';
import { lazyRecord } from './lazy.js';
import { BodyStore } from './store.js';
import {
  EVENT_EAGER_KEYS,
  KeyLists,
  RULE_EAGER_KEYS,
  TECHNIQUE_EAGER_KEYS,
  encodeBody,
  dirsUnchanged,
  listSideFiles,
  readState,
  sideSignature,
  walkDirs,
  writeState,
  type FileShell,
  type RuleShell,
  type ScopeShell,
  type SourceShell,
  type StateData,
} from './state.js';

/** What both kinds of run share: the sources, and the inputs that are not rule files. */
export interface IncrementalInput {
  /** State folder (`<cache>/state`). */
  dir: string;
  /** Key of everything but the rule files: code, catalog, ATT&CK, sources config, root. */
  key: string;
  sources: { config: SourceConfig; dir: string; commit: string | null }[];
  buildDate: string;
  attack: AttackView;
  catalog: Catalog;
  mapper: FieldMapper;
}

export interface WarmOptions {
  /** Above this share of changed rule files (per run), a full run is cheaper: default 0.1. */
  maxChangedShare?: number;
  /** Treat a file as edited (parsed again) even when its stat is unchanged: the bench's "touch". */
  forceMiss?: (source: string, path: string) => boolean;
}

export interface WarmStats {
  files: number;
  /** Files whose stat changed, read again and hashed. */
  statChanged: number;
  /** Files parsed again (content changed, added, forced). */
  parsed: number;
  removed: number;
  techniquesRecomputed: number;
  eventsRecomputed: number;
  /** Bytes appended to the body store and written to state.bin. */
  bytesWritten: number;
}

export interface WarmResult {
  index: SiteIndex;
  stats: WarmStats;
}

/** Why the previous state cannot serve this run (the run is then a full one), for the build log. */
export type WarmRefusal = 'no-state' | 'missing-dir' | 'side-inputs' | 'too-many-changes' | 'locked';

interface Item {
  /** Unchanged rule: its stored shell. */
  shell?: RuleShell;
  /** Changed rule: the draft and its fresh record. */
  draft?: RuleDraft;
  record?: RuleRecord;
  diagnostics: Diagnostic[];
  id: string;
  path: string;
  slug: string;
}

interface FileState {
  path: string;
  shell: FileShell | null;
  trace: FileTrace | null;
  items: Item[];
}

/**
 * An index from the previous state and the files that changed since, identical to a full run's
 * (tests/incremental and the bench compare them byte for byte), or a refusal when a full run is
 * needed. Unchanged rules and untouched aggregates are lazy records decoded from the body store on
 * first use; the state is updated for the next run.
 */
export function warmIndex(
  input: IncrementalInput,
  timings: CollectTimings & {
    normalize: number;
    aggregate: number;
    cache: number;
  },
  opts: WarmOptions = {},
): WarmResult | WarmRefusal {
  // WARM_PROFILE=1 prints the time of each step on stderr (a debugging aid for this file).
  const prof = process.env.WARM_PROFILE
    ? (() => {
        let last = performance.now();
        return (l: string) => {
          const n = performance.now();
          console.error(`warm ${l}: ${(n - last).toFixed(0)} ms`);
          last = n;
        };
      })()
    : () => {};
  let t = performance.now();
  const state = readState(input.dir, input.key);
  prof('read state');
  timings.cache += performance.now() - t;
  if (!state) return 'no-state';
  const prev = state.data;
  if (prev.sources.length !== input.sources.length || prev.sources.some((s, i) => s.id !== input.sources[i]!.config.id)) return 'no-state';

  // 1. Which files changed: stat first, then content hash for those whose stat moved.
  t = performance.now();
  const stats: WarmStats = {
    files: 0,
    statChanged: 0,
    parsed: 0,
    removed: 0,
    techniquesRecomputed: 0,
    eventsRecomputed: 0,
    bytesWritten: 0,
  };
  const perSource: {
    files: FileState[];
    removed: FileShell[];
    side: string;
    sideFiles: string[];
    dirs: [string, number][];
    toParse: FileState[];
  }[] = [];
  for (const [si, src] of input.sources.entries()) {
    const prevSource = prev.sources[si]!;
    if (!existsSync(src.dir)) return 'missing-dir';
    // While no folder changed, the file lists are the previous ones (no glob walk); else list again.
    const same = dirsUnchanged(src.dir, prevSource.dirs);
    // Folders are walked before files are listed: a change in between shows up next run.
    const dirs = same ? prevSource.dirs : walkDirs(src.dir);
    const sideFiles = same ? prevSource.sideFiles : listSideFiles(src.dir, SIDE_INPUTS[src.config.format]);
    const side = sideSignature(src.dir, sideFiles);
    if (side !== prevSource.side) return 'side-inputs';
    const listed = same ? prevSource.files.map((f) => f.path) : listSourceFiles(src.dir, src.config);
    const byPath = new Map(prevSource.files.map((f) => [f.path, f]));
    const files: FileState[] = [];
    const toParse: FileState[] = [];
    for (const rel of listed) {
      const shell = byPath.get(rel) ?? null;
      byPath.delete(rel);
      const fs: FileState = { path: rel, shell, trace: null, items: [] };
      files.push(fs);
      const forced = opts.forceMiss?.(src.config.id, rel) ?? false;
      if (shell && shell.hash !== '' && !forced) {
        let st: { size: number; mtimeMs: number } | null = null;
        try {
          st = statSync(join(src.dir, rel));
        } catch {
          st = null;
        }
        if (st && st.size === shell.size && st.mtimeMs === shell.mtimeMs) continue;
        stats.statChanged++;
        if (st && st.size === shell.size) {
          // Same size, new mtime (a checkout, a touch): unchanged when the text hashes the same.
          try {
            if (sha256Raw(readFileSync(join(src.dir, rel), 'utf8')).toString('hex') === shell.hash) {
              fs.shell = { ...shell, mtimeMs: st.mtimeMs };
              continue;
            }
          } catch {
            // unreadable now: parse it below, which reports it
          }
        }
      }
      toParse.push(fs);
    }
    stats.files += files.length;
    stats.removed += byPath.size;
    perSource.push({
      files,
      removed: [...byPath.values()],
      side,
      sideFiles,
      dirs,
      toParse,
    });
  }
  const changed = perSource.reduce((n, s) => n + s.toParse.length + s.removed.length, 0);
  if (changed > Math.max(20, (opts.maxChangedShare ?? 0.1) * stats.files)) return 'too-many-changes';
  timings.load += performance.now() - t;
  prof('list+stat');

  // 2. Parse what changed (the adapter prepares only for a source with something to parse).
  for (const [si, src] of input.sources.entries()) {
    const ps = perSource[si]!;
    if (ps.toParse.length === 0) continue;
    t = performance.now();
    const adapter = ADAPTERS[src.config.format];
    const ctx = { catalog: input.catalog, sourceDir: src.dir };
    const { prepared } = adapter.prepare(ctx);
    timings.parse += performance.now() - t;
    for (const fs of ps.toParse) {
      fs.trace = collectFile(
        {
          config: src.config,
          dir: src.dir,
          rel: fs.path,
          adapter,
          ctx,
          prepared,
        },
        timings,
        { trace: true },
      );
      stats.parsed++;
    }
  }

  // 3. Normalize the changed drafts; slugs for every rule of a source, as a full run assigns them.
  t = performance.now();
  const keyLists = new KeyLists(prev.keyLists);
  const reports: SourceReport[] = [];
  const lazyRules: RuleRecord[] = [];
  const freshRules: RuleRecord[] = [];
  const shellOf = new Map<RuleRecord, RuleShell>();
  const factsOfShell = new Map<RuleShell, Int32Array>();
  for (const ps of prev.sources) for (const f of ps.files) for (const r of f.rules) factsOfShell.set(r, ps.facts);
  const touchedRules: {
    techniques: string[];
    events: string[];
    deprecated: boolean;
  }[] = [];
  const holder: { stats: CorpusStats | null } = { stats: null };
  const store = state.store;
  for (const [si, src] of input.sources.entries()) {
    const ps = perSource[si]!;
    const prevSource = prev.sources[si]!;
    for (const f of ps.removed) for (const r of f.rules) touchedRules.push(r);
    const items: Item[] = [];
    for (const fs of ps.files) {
      if (fs.trace) {
        if (fs.shell) for (const r of fs.shell.rules) touchedRules.push(r);
        for (const d of fs.trace.result.drafts) {
          const { record, diagnostics } = normalizeDraft(d, src.config, src.commit, input);
          fs.items.push({
            draft: d,
            record,
            diagnostics,
            id: d.id,
            path: d.path,
            slug: '',
          });
        }
      } else {
        for (const r of fs.shell!.rules)
          fs.items.push({
            shell: r,
            diagnostics: r.diagnostics,
            id: r.id,
            path: r.path,
            slug: '',
          });
      }
      items.push(...fs.items);
    }
    const used = new Set<string>();
    const ordered = sortDrafts(items);
    for (const it of ordered) it.slug = claimSlug(it.shell ? it.shell.base : slugBase(it.id, it.path), used);

    // The report, replayed in the order a full run builds it.
    const report: SourceReport = {
      id: src.config.id,
      format: src.config.format,
      title: src.config.title ?? src.config.id,
      commit: src.commit,
      repo: src.config.repo ?? null,
      files: ps.files.length,
      rules: 0,
      published: 0,
      noQuery: 0,
      failed: 0,
      byLanguage: {},
      diagnostics: [...prevSource.prepDiagnostics],
    };
    for (const fs of ps.files) {
      if (fs.trace) accountFile(report, fs.trace.result, src.config.format);
      else accountFile(report, fs.shell!.result, src.config.format, fs.shell!.rules);
    }
    for (const it of ordered) for (const d of it.diagnostics) report.diagnostics.push(d);
    report.diagnostics.sort(compareDiagnostics);
    reports.push(report);

    for (const it of items) {
      if (it.record) {
        it.record.slug = it.slug;
        freshRules.push(it.record);
        touchedRules.push(it.record);
        continue;
      }
      const sh = it.shell!;
      const eager: Record<string, unknown> = {
        source: src.config.id,
        vendor: sh.vendor,
        id: sh.id,
        slug: it.slug,
        title: sh.title,
        path: sh.path,
        deprecated: sh.deprecated,
        techniques: sh.techniques,
        events: sh.events,
      };
      // The ref as it is now: saving the state may compact the store and move the shell's ref,
      // while this record keeps reading the bytes of this run's store.
      const body = sh.body;
      const rec: RuleRecord = lazyRecord<RuleRecord>(prev.keyLists[sh.keys]!, eager, () => ({
        ...(decodeEntry(store.read(body)) as Record<string, unknown>),
        upstreamUrl: ruleUpstreamUrl(src.config, src.commit, sh.path),
        indicators: ruleIndicators(rec, holder.stats!),
      }));
      if (it.slug !== sh.slug) touchedRules.push(sh);
      shellOf.set(rec, sh);
      lazyRules.push(rec);
    }
  }
  const rules = sortRules([...lazyRules, ...freshRules]);
  timings.normalize += performance.now() - t;
  prof('parse+records');

  // 4. Corpus stats from every rule's coded facts (kept ones straight from the state), then what they touch.
  t = performance.now();
  const table = FactsTable.extend(prev.strings, prev.values, prev.keyStrings);
  const codedOf = new Map<RuleRecord, Int32Array>();
  for (const r of lazyRules) {
    const sh = shellOf.get(r)!;
    codedOf.set(r, factsOfShell.get(sh)!.subarray(sh.facts[0], sh.facts[0] + sh.facts[1]));
  }
  for (const r of freshRules) codedOf.set(r, table.encode(ruleFactsData(r.predicates)));
  const cs = corpusStats(rules, {
    table,
    codedOf: (r) => codedOf.get(r)!,
    keyOrder: prev.keyStrings,
  });
  holder.stats = cs;
  prof('corpusStats');
  const dirty = dirtyKeys(prev, cs);
  const touchedT = new Set<string>();
  const touchedE = new Set<string>();
  const touch = (r: { techniques: string[]; events: string[]; deprecated: boolean }): void => {
    if (r.deprecated) return;
    for (const id of r.techniques) {
      touchedT.add(id);
      const parent = input.attack.techniques.get(id)?.parentId;
      if (parent) touchedT.add(parent);
    }
    for (const e of r.events) touchedE.add(e);
  };
  for (const r of touchedRules) touch(r);
  if (dirty.size > 0) {
    for (const r of rules) {
      if (r.deprecated) continue;
      const c = codedOf.get(r)!;
      let o = 0;
      for (let n = c[o++]!; n > 0; n--, o += 5) {
        if (dirty.has(c[o]!)) {
          touch(r);
          break;
        }
      }
    }
  }
  const previousTechniques = new Map<string, TechniqueRecord>();
  for (const s of prev.techniques) if (!touchedT.has(s.eager.id as string)) previousTechniques.set(s.eager.id as string, scopeRecord<TechniqueRecord>(s, prev.keyLists, store));
  const previousEvents = new Map<string, EventRecord>();
  for (const s of prev.events) if (!touchedE.has(s.eager.key as string)) previousEvents.set(s.eager.key as string, scopeRecord<EventRecord>(s, prev.keyLists, store));
  prof('dirty+touched+previous');
  const loaded: LoadedSource[] = input.sources.map((s, i) => ({
    config: s.config,
    report: reports[i]!,
    drafts: [],
  }));
  const aggInput: IndexInput = {
    buildDate: input.buildDate,
    attack: input.attack,
    catalog: input.catalog,
    mapper: input.mapper,
    sources: loaded,
  };
  const index = aggregateIndex(aggInput, rules, {
    stats: cs,
    lazyIndicators: (r) => shellOf.has(r),
    techniques: { previous: previousTechniques, touched: touchedT },
    events: { previous: previousEvents, touched: touchedE },
  });
  timings.aggregate += performance.now() - t;
  prof('aggregate');

  // 5. The next state: kept shells, new rules' and recomputed aggregates' bodies appended.
  t = performance.now();
  const prevTechniques = new Map(prev.techniques.map((s) => [s.eager.id as string, s]));
  const prevEvents = new Map(prev.events.map((s) => [s.eager.key as string, s]));
  const techniqueShells = index.techniques.map((x) =>
    previousTechniques.get(x.id) === x ? prevTechniques.get(x.id)! : (stats.techniquesRecomputed++, scopeShell(x, TECHNIQUE_EAGER_KEYS, keyLists, store)),
  );
  const eventShells = index.events.map((x) =>
    previousEvents.get(x.key) === x ? prevEvents.get(x.key)! : (stats.eventsRecomputed++, scopeShell(x, EVENT_EAGER_KEYS, keyLists, store)),
  );
  const slugOf = new Map<RuleShell, string>();
  for (const r of lazyRules) slugOf.set(shellOf.get(r)!, r.slug);
  const sources: SourceShell[] = input.sources.map((src, si): SourceShell => {
    const ps = perSource[si]!;
    const prevSource = prev.sources[si]!;
    // Nothing read, nothing removed, no stat or slug moved: the source is written as it was read.
    const unchanged =
      ps.toParse.length === 0 &&
      ps.removed.length === 0 &&
      ps.dirs === prevSource.dirs &&
      ps.files.every((fs, i) => fs.shell === prevSource.files[i] && fs.shell.rules.every((r) => slugOf.get(r) === r.slug));
    if (unchanged) return prevSource;
    const facts = new FactsWriter();
    const files = ps.files.map((fs): FileShell => {
      if (!fs.trace) {
        const sh = fs.shell!;
        const rulesOut = sh.rules.map((r) => ({
          ...r,
          slug: slugOf.get(r)!,
          facts: facts.add(prevSource.facts.subarray(r.facts[0], r.facts[0] + r.facts[1])),
        }));
        return { ...sh, rules: rulesOut };
      }
      return fileShell(
        fs.trace,
        fs.items.map((it) => ({
          record: it.record!,
          diagnostics: it.diagnostics,
          draft: it.draft!,
          coded: codedOf.get(it.record!)!,
        })),
        keyLists,
        store,
        facts,
      );
    });
    return { id: src.config.id, dirs: ps.dirs, sideFiles: ps.sideFiles, side: ps.side, prepDiagnostics: prevSource.prepDiagnostics, files, facts: facts.build() };
  });
  const written = writeState(input.dir, input.key, store, {
    keyLists: keyLists.lists,
    sources,
    ...statsData(cs),
    chains: prev.chains!,
    techniques: techniqueShells,
    events: eventShells,
  });
  stats.bytesWritten = written.bytes;
  prof('write state');
  timings.cache += performance.now() - t;
  return { index, stats };
}

/**
 * String indices of keys whose reach, exclusion reach or preferred spelling differ between two
 * runs, or that exist in one only (both runs share the table, so indices compare directly).
 */
function dirtyKeys(prev: StateData, cs: CorpusStats): Set<number> {
  const dirty = new Set<number>();
  const at = new Map<number, number>();
  prev.keyStrings.forEach((si, i) => at.set(si, i));
  for (let id = 0; id < cs.keys.length; id++) {
    const si = cs.keyStrings[id]!;
    const i = at.get(si);
    if (i === undefined) {
      dirty.add(si);
      continue;
    }
    at.delete(si);
    if (prev.reach[i] !== cs.reach[id] || prev.exclusionReach[i] !== cs.exclusionReach[id] || !sameValue(prev.displayValues[i]!, cs.displayValues[id]!, cs.table.values))
      dirty.add(si);
  }
  for (const si of at.keys()) dirty.add(si);
  return dirty;
}

/** Two value indices of the table hold the same value (a warm run's table may hold a value twice). */
function sameValue(a: number, b: number, values: readonly Scalar[]): boolean {
  if (a === b) return true;
  if (a === -1 || b === -1) return false;
  return valueKey(values[a]!) === valueKey(values[b]!);
}

/** Coded facts of every rule, end to end, as the state stores them. */
class FactsWriter {
  private readonly parts: Int32Array[] = [];
  private size = 0;
  add(c: Int32Array): [number, number] {
    const ref: [number, number] = [this.size, c.length];
    this.parts.push(c);
    this.size += c.length;
    return ref;
  }
  build(): Int32Array {
    const out = new Int32Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function statsData(cs: CorpusStats): Pick<StateData, 'strings' | 'values' | 'keyStrings' | 'reach' | 'exclusionReach' | 'displayValues'> {
  return {
    strings: cs.table.strings,
    values: cs.table.values,
    keyStrings: cs.keyStrings,
    reach: cs.reach,
    exclusionReach: cs.exclusionReach,
    displayValues: cs.displayValues,
  };
}

function scopeRecord<T extends object>(s: ScopeShell, keyLists: readonly string[][], store: BodyStore): T {
  const body = s.body; // as for rules: compaction may move the shell's ref later
  return lazyRecord<T>(keyLists[s.keys]!, { ...s.eager }, () => decodeEntry(store.read(body)) as Record<string, unknown>);
}

function scopeShell(record: object, eagerKeys: readonly string[], keyLists: KeyLists, store: BodyStore): ScopeShell {
  const eager: Record<string, unknown> = {};
  for (const k of eagerKeys) eager[k] = (record as Record<string, unknown>)[k];
  return {
    keys: keyLists.id(Object.keys(record)),
    eager,
    body: store.append(encodeBody(record, eagerKeys)),
  };
}

function ruleShell(record: RuleRecord, draft: RuleDraft, diagnostics: Diagnostic[], coded: Int32Array, keyLists: KeyLists, store: BodyStore, facts: FactsWriter): RuleShell {
  return {
    id: record.id,
    title: record.title,
    vendor: record.vendor,
    path: record.path,
    deprecated: record.deprecated,
    techniques: record.techniques,
    events: record.events,
    slug: record.slug,
    base: slugBase(record.id, record.path),
    keys: keyLists.id(Object.keys(record)),
    language: draft.language,
    hasPredicates: hasAnyPredicate(draft),
    diagnostics,
    facts: facts.add(coded),
    body: store.append(encodeBody(record, RULE_EAGER_KEYS, ['indicators'])),
  };
}

function fileShell(
  trace: FileTrace,
  rules: {
    record: RuleRecord;
    draft: RuleDraft;
    diagnostics: Diagnostic[];
    coded: Int32Array;
  }[],
  keyLists: KeyLists,
  store: BodyStore,
  facts: FactsWriter,
): FileShell {
  const { drafts: _drafts, ...result } = trace.result;
  return {
    path: trace.path,
    size: trace.size,
    mtimeMs: trace.mtimeMs,
    hash: trace.hash,
    result,
    rules: rules.map((r) => ruleShell(r.record, r.draft, r.diagnostics, r.coded, keyLists, store, facts)),
  };
}

/**
 * After a full run (with traces): write the state the next warm run starts from. `normalized`
 * maps each draft to its record and normalization warnings.
 */
export function writeFullState(
  input: IncrementalInput,
  /** walkDirs of each source, taken before its files were listed. */
  dirs: [string, number][][],
  loaded: readonly LoadedSource[],
  normalized: ReadonlyMap<RuleDraft, { record: RuleRecord; diagnostics: Diagnostic[] }>,
  index: SiteIndex,
  cs: CorpusStats,
): number {
  const store = BodyStore.fresh(input.dir);
  const keyLists = new KeyLists();
  const sources: SourceShell[] = loaded.map((src, si) => {
    const facts = new FactsWriter();
    const dir = input.sources[si]!.dir;
    const sideFiles = listSideFiles(dir, SIDE_INPUTS[src.config.format]);
    const files = (src.trace ?? []).map((tr) =>
      fileShell(
        tr,
        tr.result.drafts.map((d) => {
          const n = normalized.get(d)!;
          return { draft: d, ...n, coded: cs.coded.get(n.record)! };
        }),
        keyLists,
        store,
        facts,
      ),
    );
    return { id: src.config.id, dirs: dirs[si]!, sideFiles, side: sideSignature(dir, sideFiles), prepDiagnostics: src.prepDiagnostics ?? [], files, facts: facts.build() };
  });
  const techniques = index.techniques.map((x) => scopeShell(x, TECHNIQUE_EAGER_KEYS, keyLists, store));
  const events = index.events.map((x) => scopeShell(x, EVENT_EAGER_KEYS, keyLists, store));
  return writeState(input.dir, input.key, store, {
    keyLists: keyLists.lists,
    sources,
    ...statsData(cs),
    techniques,
    events,
  }).bytes;
}

/** The state folder under a cache folder. */
export function stateDir(cacheDir: string): string {
  return resolve(cacheDir, 'state');
}
