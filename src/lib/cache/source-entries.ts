import type { FileResult } from '../pipeline/collect.js';
import { readEntryFile, writeEntryFile, type StoredEntry } from './entry-file.js';
import { sha256Raw } from './hash.js';
import { decodeEntry, encodeEntry } from './codec.js';

/** Hit/miss counts of one run, for the bench and the build log. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries of the previous run whose file was not seen this run (deleted upstream): not saved. */
  dropped: number;
  bytesRead: number;
  bytesWritten: number;
}

/**
 * The cached parses of one source for one run. Entries are addressed by path and checked by the
 * sha256 of the text: a renamed file is a miss, an edited file is a miss, anything else is a hit.
 * What this run used (hits and new parses) is what `save` keeps; the rest is dropped.
 */
export class SourceEntries {
  private readonly previous: Map<string, StoredEntry>;
  private readonly used = new Map<string, StoredEntry>();
  /** Hash computed by a `get` that missed, reused by the `set` that follows it. */
  private pending: { path: string; hash: Buffer } | null = null;
  private changed: boolean;

  constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly stats: CacheStats,
  ) {
    const prev = readEntryFile(file, key);
    this.previous = prev ?? new Map();
    // A missing file or one written for another key (version, catalog, side inputs) is rewritten.
    this.changed = prev === null;
    for (const e of this.previous.values()) stats.bytesRead += e.body.length + 40;
  }

  get(path: string, text: string, forceMiss: boolean): FileResult | null {
    const hash = sha256Raw(text);
    const e = this.previous.get(path);
    if (!forceMiss && e && e.hash.equals(hash)) {
      try {
        const value = decodeEntry(e.body) as FileResult;
        this.used.set(path, e);
        this.stats.hits++;
        return value;
      } catch {
        // A corrupt body is a miss; the fresh parse replaces it.
      }
    }
    this.pending = { path, hash };
    this.stats.misses++;
    return null;
  }

  set(path: string, text: string, value: FileResult): void {
    const hash = this.pending?.path === path ? this.pending.hash : sha256Raw(text);
    this.pending = null;
    const body = encodeEntry(value);
    if (body) this.used.set(path, { hash, body });
    else this.used.delete(path);
    this.changed = true;
  }

  /** Write the entries this run used, unless nothing changed since the file was read. */
  save(): void {
    let dropped = 0;
    for (const p of this.previous.keys()) if (!this.used.has(p)) dropped++;
    this.stats.dropped += dropped;
    if (!this.changed && dropped === 0) return;
    this.stats.bytesWritten += writeEntryFile(this.file, this.key, this.used);
  }
}
