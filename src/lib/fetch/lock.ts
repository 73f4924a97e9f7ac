import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { FetchError } from './errors.js';

/** A full commit hash (SHA-1, or SHA-256 for repositories that use it). */
export const commitHashSchema = z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, 'a full lower-case commit hash');

/** The commit a source is pinned to, and where it came from. */
export const lockEntrySchema = z
  .object({
    repo: z.string().min(1),
    ref: z.string().min(1),
    commit: commitHashSchema,
    /**
     * UTC day of the commit (YYYY-MM-DD): the build dates the site from it. A property of the
     * commit, not of the fetch, so re-fetching the same pin never changes the lock.
     */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a YYYY-MM-DD date').optional(),
    /** Tolerated when read, never written: a fetch timestamp would make every run a diff. */
    fetchedAt: z.string().optional(),
  });

/**
 * catalog/sources.lock.json: one pinned commit per source id. Builds are reproducible because the
 * lock, not the branch tip, decides what is checked out; `--update` is the only thing that moves it.
 */
export const sourcesLockSchema = z.object({ sources: z.record(z.string(), lockEntrySchema) }).strict();

export type LockEntry = z.infer<typeof lockEntrySchema>;
export type SourcesLock = z.infer<typeof sourcesLockSchema>;

/** Read the lock file; a missing file is an empty lock (first run), a malformed one is an error. */
export function readLock(file: string): SourcesLock {
  if (!existsSync(file)) return { sources: {} };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FetchError('bad-lock', `${file} is not valid JSON: ${(e as Error).message}`, 'fix or delete the lock file, then run `npm run fetch-sources -- --update`');
  }
  const parsed = sourcesLockSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
    throw new FetchError('bad-lock', `${file} is malformed at ${where}`, 'expected { "sources": { "<id>": { "repo", "ref", "commit" } } }; fix or delete it and run with --update');
  }
  return parsed.data;
}

/** Deterministic text of a lock: keys sorted at every level, two-space indent, trailing newline. */
export function serializeLock(lock: SourcesLock): string {
  return JSON.stringify(sortKeys(lock), null, 2) + '\n';
}

/**
 * Write the lock atomically (temp file + rename, so an interrupted run never leaves half a lock)
 * and only when its text changes; returns whether the file changed.
 */
export function writeLock(file: string, lock: SourcesLock): boolean {
  const text = serializeLock(lock);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
