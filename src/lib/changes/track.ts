import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteIndex } from '../aggregate/types.js';
import { diffSnapshots } from './diff.js';
import { readSnapshot, snapshotFromApi, snapshotOf, writeJsonAtomic, writeSnapshot } from './snapshot.js';
import type { ChangeLog, ChangeSet, ChangeSnapshot } from './types.js';

/** Files kept in the state folder (`.cache/index`, restored by CI between builds). */
export const SNAPSHOT_FILE = 'previous-index.json';
export const HISTORY_FILE = 'changes-history.json';

export interface TrackOptions {
  /** Folder holding the previous build's snapshot and the change history. */
  stateDir: string;
  /** A previous build's `dist/api/`, read when the state folder has no snapshot. */
  previousApiDir?: string;
  /** An explicit previous build (a snapshot file or an api folder); wins over the state folder. */
  previous?: string;
  /** Non-empty change sets kept for the page and feeds (default 20). */
  maxBuilds?: number;
  /** Rule changes kept over all kept builds, oldest builds dropped first (default 2000). */
  maxRuleChanges?: number;
}

export interface TrackedChanges {
  log: ChangeLog;
  /** This build's snapshot, saved by `commit`. */
  snapshot: ChangeSnapshot;
  /** Where the previous build came from; null on a first build. */
  previousFrom: 'explicit' | 'state' | 'api' | null;
  /** Save this build as the next build's "previous" and the updated history (after a successful build). */
  commit(): void;
}

/**
 * Compare a freshly built index with the previous build and update the change history. The previous
 * build is, in order: `previous`, `<stateDir>/previous-index.json`, `previousApiDir`. Nothing is
 * written until `commit()`, so a build that fails later compares against the same previous build.
 */
export function trackChanges(index: SiteIndex, opts: TrackOptions): TrackedChanges {
  const snapshot = snapshotOf(index);
  let prev: ChangeSnapshot | null = null;
  let previousFrom: TrackedChanges['previousFrom'] = null;
  if (opts.previous) {
    prev = isDir(opts.previous) ? snapshotFromApi(opts.previous) : readSnapshot(opts.previous);
    if (prev) previousFrom = 'explicit';
  }
  if (!prev) {
    prev = readSnapshot(join(opts.stateDir, SNAPSHOT_FILE));
    if (prev) previousFrom = 'state';
  }
  if (!prev && opts.previousApiDir && existsSync(opts.previousApiDir)) {
    prev = snapshotFromApi(opts.previousApiDir);
    if (prev) previousFrom = 'api';
  }
  const techniqueNames = new Map(index.techniques.map((t) => [t.id, t.name]));
  const current = diffSnapshots(prev, snapshot, { techniqueNames });
  const history = appendHistory(readHistory(join(opts.stateDir, HISTORY_FILE)), current, opts.maxBuilds ?? 20, opts.maxRuleChanges ?? 2000);
  const log: ChangeLog = { format: 1, current, history };
  return {
    log,
    snapshot,
    previousFrom,
    commit() {
      writeSnapshot(join(opts.stateDir, SNAPSHOT_FILE), snapshot);
      writeJsonAtomic(join(opts.stateDir, HISTORY_FILE), history);
    },
  };
}

/** True when a change set lists at least one rule change. */
export function hasChanges(cs: ChangeSet): boolean {
  return cs.counts.added + cs.counts.removed + cs.counts.changed > 0;
}

/** Newest first; empty change sets are not kept; bounded by builds and by rule changes. */
export function appendHistory(history: ChangeSet[], current: ChangeSet, maxBuilds: number, maxRuleChanges: number): ChangeSet[] {
  const all = hasChanges(current) ? [current, ...history] : [...history];
  const out: ChangeSet[] = [];
  let n = 0;
  for (const cs of all) {
    if (out.length >= maxBuilds) break;
    const size = cs.counts.added + cs.counts.removed + cs.counts.changed;
    if (out.length > 0 && n + size > maxRuleChanges) break;
    out.push(cs);
    n += size;
  }
  return out;
}

function readHistory(file: string): ChangeSet[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ChangeSet[];
    return Array.isArray(data) ? data.filter((cs) => cs && cs.format === 1 && Array.isArray(cs.sources)) : [];
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
