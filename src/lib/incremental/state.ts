import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Scalar } from '../model/logic.js';
import type { Vendor } from '../model/rule.js';
import type { FileResult } from '../pipeline/collect.js';
import { decodeEntry, encodeEntry } from '../cache/codec.js';
import { sha256Hex } from '../cache/hash.js';
import { BodyStore, writeAtomic, type BodyRef } from './store.js';

/**
 * The incremental index state: what a run leaves behind so that the next one, when few rule files
 * changed, re-parses only those and recomputes only the aggregates they touch (src/lib/incremental/warm.ts).
 * Small parts (per-file stat and outcome, per-rule facts, corpus reach) are in `state.bin`, read
 * whole; rule and aggregate bodies are in an append-only BodyStore, decoded only when used.
 */
export const STATE_FILE = 'state.bin';
const STATE_LAYOUT = 'index-state-2';
const MAGIC = 0x54535841; // 'AXST' little-endian

/** Rule record keys a warm run sets itself; the others are decoded from the body. */
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
  /** Index into StateData.keyLists: the record's own keys, in order. */
  keys: number;
  language?: string | null | undefined;
  hasPredicates: boolean;
  /** Normalization warnings (unresolved technique tags). */
  diagnostics: Diagnostic[];
  /** Coded facts (FactsTable.encode) at this offset and length in StateData.facts. */
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
  techniques: ScopeShell[];
  events: ScopeShell[];
  /** Every rule's coded facts, end to end (binary section). */
  facts: Int32Array;
  /**
   * Corpus stats of the run by key id (binary sections): the key's string index, reach, exclusion
   * reach and display value index. A key whose numbers change touches its aggregates.
   */
  keyStrings: Int32Array;
  reach: Int32Array;
  exclusionReach: Int32Array;
  displayValues: Int32Array;
}

const SECTIONS = ['facts', 'keyStrings', 'reach', 'exclusionReach', 'displayValues'] as const;
type Section = (typeof SECTIONS)[number];
type StateJson = Omit<StateData, Section>;

/** state.bin: magic, u32 length + encoded JSON part, then each Int32 section as u32 count + data. */
function encodeState(data: StateData): Buffer {
  const json: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!(SECTIONS as readonly string[]).includes(k)) json[k] = v;
  // Plain JSON unless a value cannot be written as JSON (a non-finite number): then v8's format.
  // (The codec's exactness check visits every value; here only the values table can hold such a number.)
  const exact = data.values.every((v) => typeof v !== 'number' || Number.isFinite(v));
  // Non-ASCII characters are written as \u escapes: pure ASCII decodes on V8's fast path.
  const head = exact
    ? Buffer.from('J' + JSON.stringify(json).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')), 'latin1')
    : encodeEntry(json);
  if (!head) throw new Error('the index state cannot be encoded');
  const parts: Buffer[] = [u32(MAGIC), u32(head.length), head, Buffer.alloc((4 - (head.length % 4)) % 4)];
  for (const k of SECTIONS) {
    const a = data[k];
    parts.push(u32(a.length), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  return Buffer.concat(parts);
}

function decodeState(buf: Buffer): StateData | null {
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return null;
  const len = buf.readUInt32LE(4);
  let o = 8 + len;
  if (o > buf.length) return null;
  const json = decodeEntry(buf.subarray(8, o)) as StateJson;
  o += (4 - (len % 4)) % 4;
  const out = json as StateData;
  for (const k of SECTIONS) {
    if (o + 4 > buf.length) return null;
    const n = buf.readUInt32LE(o);
    o += 4;
    if (o + 4 * n > buf.length) return null;
    // A copy: aligned, and independent of the file buffer.
    const a = new Int32Array(n);
    Buffer.from(a.buffer).set(buf.subarray(o, o + 4 * n));
    out[k] = a;
    o += 4 * n;
  }
  return o === buf.length ? out : null;
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
  let data: StateData | null;
  try {
    data = decodeState(readFileSync(join(dir, STATE_FILE)));
  } catch {
    return null;
  }
  if (!data || data.layout !== STATE_LAYOUT || data.key !== key) return null;
  try {
    if (statSync(join(dir, data.store.name)).size < data.store.size) return null;
  } catch {
    return null;
  }
  return { data, store: new BodyStore(dir, data.store.name, data.store.size) };
}

/** Live bytes: bodies the state refers to. */
function liveBytes(data: Omit<StateData, 'layout' | 'key' | 'store'>): number {
  let n = 0;
  for (const s of data.sources) for (const f of s.files) for (const r of f.rules) n += r.body[1];
  for (const t of data.techniques) n += t.body[1];
  for (const e of data.events) n += e.body[1];
  return n;
}

/**
 * Flush new bodies and write the state atomically. When less than half of the store is live, the
 * live bodies move to a new generation first (and the refs in `data` are rewritten).
 */
export function writeState(dir: string, key: string, store: BodyStore, data: Omit<StateData, 'layout' | 'key' | 'store'>): { bytes: number; store: BodyStore } {
  let bytes = 0;
  const live = liveBytes(data);
  let target = store;
  if (store.size > 2 * live + (1 << 20)) {
    const holders: { body: BodyRef }[] = [];
    for (const s of data.sources) for (const f of s.files) holders.push(...f.rules);
    holders.push(...data.techniques, ...data.events);
    store.load();
    const moved = store.compact(holders.map((h) => h.body));
    holders.forEach((h, i) => (h.body = moved.refs[i]!));
    target = moved.store;
    bytes += target.size;
  } else {
    bytes += store.flush();
  }
  const body = encodeState({
    layout: STATE_LAYOUT,
    key,
    store: { name: target.name, size: target.size },
    ...data,
  });
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

/** Encode the part of a record that is not eager. */
export function encodeBody(record: object, eager: readonly string[], skip: readonly string[] = []): Buffer {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!eager.includes(k) && !skip.includes(k)) out[k] = v;
  const body = encodeEntry(out);
  if (!body) throw new Error('a record of the index cannot be encoded');
  return body;
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
