import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { SourcesFile } from '../catalog/schema.js';
import { FetchError } from './errors.js';
import { fetchSource, type FetchOutcome } from './fetch-source.js';
import { runGit, type GitOptions } from './git.js';
import type { LockEntry, SourcesLock } from './lock.js';
import { ATTACK_TARGET_ID, fetchTargets, type FetchTarget } from './targets.js';

export interface FetchAllOptions extends Omit<GitOptions, 'cwd'> {
  cacheDir: string;
  /** Move every fetched source to the tip of its ref and re-pin it. */
  update?: boolean;
  /** Only the checkout that serves this source id; the rest of the lock is kept as is. */
  only?: string;
  /** Called before each target is fetched and with each result, for progress output. */
  onStart?: (target: FetchTarget) => void;
  onResult?: (target: FetchTarget, result: FetchOutcome | FetchError) => void;
}

export interface FetchAllResult {
  /** The lock to write: new pins for fetched sources, old pins kept for failed ones. */
  lock: SourcesLock;
  outcomes: FetchOutcome[];
  /** Config problems and per-source failures; the CLI exits non-zero when there is any. */
  errors: FetchError[];
}

/**
 * Fetch every repository a sources file names, one after the other (they are large; the machine
 * and the remote are better served sequentially), and compute the new lock. One source failing
 * does not stop the others; its previous pin stays in the lock.
 */
export async function fetchAll(file: SourcesFile, lock: SourcesLock, opts: FetchAllOptions): Promise<FetchAllResult> {
  const { targets, problems } = fetchTargets(file);
  const errors: FetchError[] = [...problems];
  let selected = targets;
  if (opts.only !== undefined) {
    selected = targets.filter((t) => t.ids.includes(opts.only!));
    if (selected.length === 0) {
      const known = targets.flatMap((t) => t.ids).join(', ') || 'none';
      errors.push(new FetchError('bad-config', `--only ${opts.only}: no source with a repo has this id`, `use one of: ${known}`));
    }
  }
  const { cacheDir, update, only: _only, onStart, onResult, ...git } = opts;
  const sources: Record<string, LockEntry> = {};
  // Keep pins of sources this run does not touch (--only) and of those that fail.
  const configured = new Set(targets.flatMap((t) => t.ids));
  for (const [id, entry] of Object.entries(lock.sources)) {
    if (opts.only !== undefined || configured.has(id)) sources[id] = entry;
  }
  const outcomes: FetchOutcome[] = [];
  for (const target of selected) {
    onStart?.(target);
    const pinned = pinFor(target, lock);
    try {
      const outcome = await fetchSource(target, { ...git, cacheDir, update, ...(pinned ? { pinned } : {}) });
      outcomes.push(outcome);
      for (const id of target.ids) sources[id] = { repo: target.repo, ref: target.ref, commit: outcome.commit, date: outcome.date };
      onResult?.(target, outcome);
      if (target.ids.includes(ATTACK_TARGET_ID)) {
        const missing = await checkBundle(file.attack.bundle, target, outcome, cacheDir, git);
        if (missing) errors.push(missing);
      }
    } catch (e) {
      const err = e instanceof FetchError ? e : new FetchError('git-failed', `source ${target.id}: ${(e as Error).message}`, 'run again; report it if it persists');
      errors.push(err);
      onResult?.(target, err);
      if (err.code === 'git-missing' || err.code === 'interrupted') break;
    }
  }
  return { lock: { sources }, outcomes, errors };
}

/**
 * The build reads the ATT&CK bundle at `<root>/<attack.bundle>`: check it is in the checkout now,
 * rather than failing later in the build, and name where the repository keeps it instead.
 */
async function checkBundle(bundles: string | string[], target: FetchTarget, outcome: FetchOutcome, cacheDir: string, git: Omit<GitOptions, 'cwd'>): Promise<FetchError | null> {
  const candidates = [bundles].flat();
  if (candidates.some((b) => existsSync(resolve(cacheDir, b)))) return null;
  const bundle = candidates.join(' or ');
  const listed = await runGit(['ls-files', '-z'], { ...git, cwd: outcome.path });
  const name = basename(candidates[0]!);
  const found = listed.stdout
    .split('\0')
    .filter((p) => p.length > 0 && basename(p) === name)
    .map((p) => join(target.dir, p).replace(/\\/g, '/'))
    .sort();
  const hint = found.length > 0 ? `the checkout has it at ${found.join(', ')}: set attack.bundle to that path` : `check attack.bundle in the sources file; no ${name} in the repository`;
  return new FetchError('bad-config', `attack.bundle ${bundle} is not in the checkout of ${target.repo} at ${outcome.commit.slice(0, 12)}`, hint);
}

/** The locked commit of a target, if the lock's entry still names the same repo and ref. */
export function pinFor(target: FetchTarget, lock: SourcesLock): string | undefined {
  for (const id of target.ids) {
    const entry = lock.sources[id];
    if (entry && entry.repo === target.repo && entry.ref === target.ref) return entry.commit;
  }
  return undefined;
}
