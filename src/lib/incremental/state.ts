import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Scalar } from '../model/logic.js';
import type { Vendor } from '../model/rule.js';
import type { FileResult } from '../pipeline/collect.js';
import { decodeEntry, encodeEntry } from '../cache/codec.js';
import { sha256Hex } from '../cache/hash.js';
import { BodyStore, type BodyRef } from './store.js';
import { writeAtomic } from '../cache/write-atomic.js';

/**
 * The incremental index state: what a run leaves behind so that the next one, when few rule files
 * changed, re-parses only those and recomputes only the aggregates they touch (src/lib/incremental/warm.ts).
 * Small parts (per-file stat and outcome, per-rule facts, corpus reach) are in `state.bin`, read
 * whole; rule and aggregate bodies are in an append-only BodyStore, decoded only when used.
 */
export const STATE_FILE = 'state.bin';
const STATE_LAYOUT = 'index-state-5';
const MAGIC = 0x54535841; // 'AXST' little-endian

/** Rule record keys a warm run sets itself; the others are decoded from the body. */
/** Rule record keys not in the body: set by the warm run (upstreamUrl is computed on decode, from this run's commit). */
export const RULE_EAGER_KEYS = ['source', 'vendor', 'id', 'slug', 'title', 'path', 'upstreamUrl', 'deprecated', 'techniques', 'events'] as const;
/** Aggregate record keys kept out of the body (the tactic lists read them for every technique). */
export const TECHNIQUE_EAGER_KEYS = ['id', 'isSubtechnique', 'tactics'] as const;
export const EVENT_EAGER_KEYS = ['key'] as const;

/** A rule as the state keeps it: what aggregates and the report need, and where its body is. */
export interface RuleShell {
  id: string;
  title: string;
  vendor: Vendor;
  path: string;
  deprecated: boolean;
  techniques: string[];
  events: string[];
  /** Slug in the run that stored it: a rule whose slug moves touches its aggregates. */
  slug: string;
  /** The slug it asks for (slugBase of id and path), before uniqueness. */
  base: string;
  /** Index into StateData.keyLists: the record's own keys, in order. */
  keys: number;
  language?: string | null | undefined;
  hasPredicates: boolean;
  /** Normalization warnings (unresolved technique tags). */
  diagnostics: Diagnostic[];
  /** Coded facts (FactsTable.encode) at this offset and length in its SourceShell.facts. */
  facts: [offset: number, length: number];
  body: BodyRef;
}

/** One rule file: how it looked (stat, hash), what reading it gave, and its rules in file order. */
export interface FileShell {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 hex of the text; '' when it was not read (too large, unreadable): always looked at again. */
  hash: string;
  result: Omit<FileResult, 'drafts'>;
  rules: RuleShell[];
}

export interface SourceShell {
  id: string;
  /**
   * Every folder under the source (relative path, mtime): while none changed, no file was added,
   * removed or renamed, so the previous file list stands and only file stats are checked.
   */
  dirs: [path: string, mtimeMs: number][];
  /** The adapter's side files (Splunk macros, data sources...), listed with `dirs`. */
  sideFiles: string[];
  /** Signature of the side files (see sideSignature): a change means a full run. */
  side: string;
  prepDiagnostics: Diagnostic[];
  files: FileShell[];
  /** The coded facts of the source's rules (RuleShell.facts points into it). */
  facts: Int32Array;
  /**
   * Where this shell was read from. A run that changes nothing in a source passes its shell on
   * as it was read, and the state keeps these segments instead of writing the source again.
   */
  segments?: { json: BodyRef; facts: BodyRef };
}

/** A table kept as a chain of appended segments (the FactsTable only grows between full runs). */
interface Chain {
  refs: BodyRef[];
  count: number;
}

/** A technique or event record: its keys, the eager part, and its body. */
export interface ScopeShell {
  keys: number;
  eager: Record<string, unknown>;
  body: BodyRef;
}

export interface StateData {
  layout: string;
  key: string;
  store: { name: string; size: number };
  keyLists: string[][];
  sources: SourceShell[];
  /** The FactsTable of the coded facts. */
  strings: string[];
  values: Scalar[];
  /** Segments the tables were read from (appending to them keeps the old ones). */
  chains?: { strings: Chain; values: Chain };
  techniques: ScopeShell[];
  events: ScopeShell[];
  /**
   * Corpus stats of the run by key id (binary sections): the key's string index, reach, exclusion
   * reach and display value index. A key whose numbers change touches its aggregates.
   */
  keyStrings: Int32Array;
  reach: Int32Array;
  exclusionReach: Int32Array;
  displayValues: Int32Array;
}

/** What state.bin holds itself: the small parts, refs to segments in the store, the stats sections. */
interface StateHeader {
  layout: string;
  key: string;
  store: { name: string; size: number };
  keyLists: string[][];
  techniques: ScopeShell[];
  events: ScopeShell[];
  sources: { json: BodyRef; facts: BodyRef }[];
  strings: Chain;
  values: Chain;
}

const SECTIONS = ['keyStrings', 'reach', 'exclusionReach', 'displayValues'] as const;

/** JSON as ASCII bytes (non-ASCII as \u escapes, which decode on V8's fast path), tagged for decodeEntry. */
function jsonBytes(value: unknown): Buffer {
  return Buffer.from('J' + JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')), 'latin1');
}

function int32Bytes(a: Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function int32Of(b: Buffer): Int32Array {
  const a = new Int32Array(b.length >> 2);
  Buffer.from(a.buffer).set(b.subarray(0, a.byteLength));
  return a;
}

/**
 * A source's files and rules as columns (arrays of values instead of arrays of objects): a third
 * of the JSON, parsed faster. Rules are in file order; `rules[i]` is how many belong to file i.
 */
interface PackedSource {
  id: string;
  dirs: [string, number][];
  sideFiles: string[];
  side: string;
  prepDiagnostics: Diagnostic[];
  files: {
    path: string[];
    size: number[];
    mtimeMs: number[];
    hash: string[];
    failed: number[];
    ignored: number[];
    failedLanguage: Record<number, string>;
    diagnostics: Record<number, Diagnostic[]>;
    rules: number[];
  };
  rules: {
    id: string[];
    title: string[];
    vendor: Vendor[];
    /** Rule path when it is not its file's. */
    path: Record<number, string>;
    deprecated: number[];
    techniques: string[][];
    events: string[][];
    slug: string[];
    base: string[];
    keys: number[];
    language: (string | null)[];
    hasPredicates: number[];
    diagnostics: Record<number, Diagnostic[]>;
    /** offset, length pairs */
    facts: number[];
    body: number[];
  };
}

function packSource(s: SourceShell): PackedSource {
  const f: PackedSource['files'] = { path: [], size: [], mtimeMs: [], hash: [], failed: [], ignored: [], failedLanguage: {}, diagnostics: {}, rules: [] };
  const r: PackedSource['rules'] = {
    id: [],
    title: [],
    vendor: [],
    path: {},
    deprecated: [],
    techniques: [],
    events: [],
    slug: [],
    base: [],
    keys: [],
    language: [],
    hasPredicates: [],
    diagnostics: {},
    facts: [],
    body: [],
  };
  s.files.forEach((file, i) => {
    f.path.push(file.path);
    f.size.push(file.size);
    f.mtimeMs.push(file.mtimeMs);
    f.hash.push(file.hash);
    f.failed.push(file.result.failed);
    f.ignored.push(file.result.ignored ? 1 : 0);
    if (file.result.failedLanguage !== undefined) f.failedLanguage[i] = file.result.failedLanguage;
    if (file.result.diagnostics.length > 0) f.diagnostics[i] = file.result.diagnostics;
    f.rules.push(file.rules.length);
    for (const rule of file.rules) {
      const j = r.id.length;
      r.id.push(rule.id);
      r.title.push(rule.title);
      r.vendor.push(rule.vendor);
      if (rule.path !== file.path) r.path[j] = rule.path;
      r.deprecated.push(rule.deprecated ? 1 : 0);
      r.techniques.push(rule.techniques);
      r.events.push(rule.events);
      r.slug.push(rule.slug);
      r.base.push(rule.base);
      r.keys.push(rule.keys);
      r.language.push(rule.language ?? null);
      r.hasPredicates.push(rule.hasPredicates ? 1 : 0);
      if (rule.diagnostics.length > 0) r.diagnostics[j] = rule.diagnostics;
      r.facts.push(rule.facts[0], rule.facts[1]);
      r.body.push(rule.body[0], rule.body[1]);
    }
  });
  return { id: s.id, dirs: s.dirs, sideFiles: s.sideFiles, side: s.side, prepDiagnostics: s.prepDiagnostics, files: f, rules: r };
}

function unpackSource(p: PackedSource, facts: Int32Array): SourceShell {
  const f = p.files;
  const r = p.rules;
  let j = 0;
  const files: FileShell[] = f.path.map((path, i) => {
    const rules: RuleShell[] = [];
    for (let n = f.rules[i]!; n > 0; n--, j++) {
      const rule: RuleShell = {
        id: r.id[j]!,
        title: r.title[j]!,
        vendor: r.vendor[j]!,
        path: r.path[j] ?? path,
        deprecated: r.deprecated[j] === 1,
        techniques: r.techniques[j]!,
        events: r.events[j]!,
        slug: r.slug[j]!,
        base: r.base[j]!,
        keys: r.keys[j]!,
        hasPredicates: r.hasPredicates[j] === 1,
        diagnostics: r.diagnostics[j] ?? [],
        facts: [r.facts[2 * j]!, r.facts[2 * j + 1]!],
        body: [r.body[2 * j]!, r.body[2 * j + 1]!],
      };
      // Absent, not undefined, as a full run's shell (so packing a state again gives the same JSON).
      if (r.language[j] !== null) rule.language = r.language[j]!;
      rules.push(rule);
    }
    const result: FileShell['result'] = { diagnostics: f.diagnostics[i] ?? [], failed: f.failed[i]!, ignored: f.ignored[i] === 1 };
    if (f.failedLanguage[i] !== undefined) result.failedLanguage = f.failedLanguage[i];
    return { path, size: f.size[i]!, mtimeMs: f.mtimeMs[i]!, hash: f.hash[i]!, result, rules };
  });
  return { id: p.id, dirs: p.dirs, sideFiles: p.sideFiles, side: p.side, prepDiagnostics: p.prepDiagnostics, files, facts };
}

/** state.bin: magic, u32 length + header JSON (padded to 4 bytes), then each section as u32 count + Int32 data. */
function encodeHeader(header: StateHeader, data: StateData): Buffer {
  const head = jsonBytes(header);
  const parts: Buffer[] = [u32(MAGIC), u32(head.length), head, Buffer.alloc((4 - (head.length % 4)) % 4)];
  for (const k of SECTIONS) parts.push(u32(data[k].length), int32Bytes(data[k]));
  return Buffer.concat(parts);
}

function decodeHeader(buf: Buffer): { header: StateHeader; sections: Record<(typeof SECTIONS)[number], Int32Array> } | null {
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return null;
  const len = buf.readUInt32LE(4);
  let o = 8 + len;
  if (o > buf.length) return null;
  const header = decodeEntry(buf.subarray(8, o)) as StateHeader;
  o += (4 - (len % 4)) % 4;
  const sections = {} as Record<(typeof SECTIONS)[number], Int32Array>;
  for (const k of SECTIONS) {
    if (o + 4 > buf.length) return null;
    const n = buf.readUInt32LE(o);
    o += 4;
    if (o + 4 * n > buf.length) return null;
    sections[k] = int32Of(buf.subarray(o, o + 4 * n));
    o += 4 * n;
  }
  return o === buf.length ? { header, sections } : null;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

export interface LoadedState {
  data: StateData;
  store: BodyStore;
}

/** The state of the previous run under `key`, or null (none, another key, unreadable). */
export function readState(dir: string, key: string): LoadedState | null {
  try {
    const decoded = decodeHeader(readFileSync(join(dir, STATE_FILE)));
    if (!decoded) return null;
    const { header, sections } = decoded;
    if (header.layout !== STATE_LAYOUT || header.key !== key) return null;
    if (statSync(join(dir, header.store.name)).size < header.store.size) return null;
    const store = new BodyStore(dir, header.store.name, header.store.size);
    // Segments are read where they are, without loading the whole store.
    const chain = <T>(c: Chain): T[] => c.refs.flatMap((r) => decodeEntry(store.readDirect(r)) as T[]);
    const sources = header.sources.map((refs): SourceShell => {
      const shell = unpackSource(decodeEntry(store.readDirect(refs.json)) as PackedSource, int32Of(store.readDirect(refs.facts)));
      shell.segments = refs;
      return shell;
    });
    const strings = chain<string>(header.strings);
    const values = chain<Scalar>(header.values);
    if (strings.length !== header.strings.count || values.length !== header.values.count) return null;
    const data: StateData = {
      layout: header.layout,
      key: header.key,
      store: header.store,
      keyLists: header.keyLists,
      sources,
      strings,
      values,
      chains: { strings: header.strings, values: header.values },
      techniques: header.techniques,
      events: header.events,
      ...sections,
    };
    return { data, store };
  } catch {
    return null;
  }
}

/** Live bytes: bodies and segments the state refers to. */
function liveBytes(header: Omit<StateHeader, 'layout' | 'key' | 'store'>, data: Pick<StateData, 'sources'>): number {
  let n = 0;
  for (const s of data.sources) for (const f of s.files) for (const r of f.rules) n += r.body[1];
  for (const t of header.techniques) n += t.body[1];
  for (const e of header.events) n += e.body[1];
  for (const s of header.sources) n += s.json[1] + s.facts[1];
  for (const r of [...header.strings.refs, ...header.values.refs]) n += r[1];
  return n;
}

/** A table's chain: the previous segments plus one for what was appended since (one segment when long). */
function chainOf<T>(items: readonly T[], prev: Chain | undefined, store: BodyStore): Chain {
  if (prev && prev.count <= items.length && prev.refs.length < 16) {
    if (prev.count === items.length) return prev;
    return { refs: [...prev.refs, store.append(jsonBytes(items.slice(prev.count)))], count: items.length };
  }
  return { refs: [store.append(jsonBytes(items))], count: items.length };
}

/**
 * Append what changed (new bodies, sources without `segments`, table growth) and write state.bin
 * atomically. When less than half of the store is live, everything live moves to a new generation
 * first (and the refs are rewritten).
 */
export function writeState(dir: string, key: string, store: BodyStore, data: Omit<StateData, 'layout' | 'key' | 'store'>): { bytes: number; store: BodyStore } {
  const before = store.size;
  const header: Omit<StateHeader, 'layout' | 'key' | 'store'> = {
    keyLists: data.keyLists,
    techniques: data.techniques,
    events: data.events,
    sources: data.sources.map((s) => s.segments ?? { json: store.append(jsonBytes(packSource(s))), facts: store.append(Buffer.from(int32Bytes(s.facts))) }),
    strings: chainOf(data.strings, data.chains?.strings, store),
    values: chainOf(data.values, data.chains?.values, store),
  };
  let bytes = store.size - before;
  const live = liveBytes(header, data);
  let target = store;
  if (store.size > 2 * live + (1 << 20)) {
    const holders: { ref: BodyRef; set: (r: BodyRef) => void }[] = [];
    for (const s of data.sources) for (const f of s.files) for (const r of f.rules) holders.push({ ref: r.body, set: (x) => (r.body = x) });
    for (const t of [...header.techniques, ...header.events]) holders.push({ ref: t.body, set: (x) => (t.body = x) });
    for (const s of header.sources) {
      holders.push({ ref: s.json, set: (x) => (s.json = x) });
      holders.push({ ref: s.facts, set: (x) => (s.facts = x) });
    }
    for (const c of [header.strings, header.values]) c.refs.forEach((r, i) => holders.push({ ref: r, set: (x) => (c.refs[i] = x) }));
    store.load();
    const moved = store.compact(holders.map((h) => h.ref));
    holders.forEach((h, i) => h.set(moved.refs[i]!));
    target = moved.store;
    bytes = target.size;
  } else {
    store.flush();
  }
  const body = encodeHeader({ layout: STATE_LAYOUT, key, store: { name: target.name, size: target.size }, ...header }, data as StateData);
  writeAtomic(join(dir, STATE_FILE), body);
  target.removeOthers();
  return { bytes: bytes + body.length, store: target };
}

/** Interns key lists (record key orders) for a state being written. */
export class KeyLists {
  readonly lists: string[][] = [];
  private readonly ids = new Map<string, number>();
  constructor(initial: readonly string[][] = []) {
    for (const l of initial) this.id(l);
  }
  id(keys: readonly string[]): number {
    const k = keys.join('\0');
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.lists.length;
      this.lists.push([...keys]);
      this.ids.set(k, id);
    }
    return id;
  }
}

/**
 * Encode the part of a record that is not eager, as JSON. Plain JSON on purpose: the index only
 * ever leaves the process as JSON (the site's data file, the API), where a non-finite number is
 * null either way, so decoded bodies serialize exactly as the records they were made from.
 */
export function encodeBody(record: object, eager: readonly string[], skip: readonly string[] = []): Buffer {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) if (!eager.includes(k) && !skip.includes(k)) out[k] = (record as Record<string, unknown>)[k];
  return Buffer.from('J' + JSON.stringify(out), 'utf8');
}

/** The adapter's side files of a source (sorted), for sideSignature. */
export function listSideFiles(dir: string, globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  try {
    return fg.sync([...globs], { cwd: dir, onlyFiles: true, dot: false }).sort();
  } catch {
    return [];
  }
}

/**
 * Signature of an adapter's side files (path, size, mtime): equal signatures mean the prepared
 * value (macros, data sources) is what the previous run had.
 */
export function sideSignature(dir: string, files: readonly string[]): string {
  if (files.length === 0) return '';
  const parts: string[] = [];
  for (const f of files) {
    try {
      const st = statSync(join(dir, f));
      parts.push(`${f}\0${st.size}\0${st.mtimeMs}`);
    } catch {
      parts.push(`${f}\0?`);
    }
  }
  return sha256Hex(parts.join('\n'));
}

/** Every folder under `dir` (itself as ''), with its mtime; dot-folders and symlinks left out, as the listing does. */
export function walkDirs(dir: string): [string, number][] {
  const out: [string, number][] = [];
  const walk = (rel: string): void => {
    const abs = rel === '' ? dir : join(dir, rel);
    let st;
    let entries;
    try {
      st = statSync(abs);
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    out.push([rel, st.mtimeMs]);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(rel === '' ? e.name : `${rel}/${e.name}`);
  };
  walk('');
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** True when every folder still has the mtime it had (so no entry was added, removed or renamed). */
export function dirsUnchanged(dir: string, dirs: readonly [string, number][]): boolean {
  if (dirs.length === 0) return false;
  for (const [rel, mtimeMs] of dirs) {
    try {
      if (statSync(rel === '' ? dir : join(dir, rel)).mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}
