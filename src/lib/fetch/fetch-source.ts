import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { classifyGitFailure, FetchError, gitReason } from './errors.js';
import { runGit, type GitOptions, type GitResult } from './git.js';
import { commitHashSchema } from './lock.js';

/** The parts of a source (or fetch target) that say what to check out and where. */
export interface FetchSourceInput {
  id: string;
  dir: string;
  repo?: string;
  /** Branch or tag followed by `update`; default `HEAD` (the remote's default branch). */
  ref?: string;
  /** Commit from the sources file, used when no pinned commit is given. */
  commit?: string;
}

export interface FetchSourceOptions extends Omit<GitOptions, 'cwd'> {
  /** Folder holding every checkout (`.cache/sources`); the source lands in `<cacheDir>/<dir>`. */
  cacheDir: string;
  /** Commit pinned by the lock; checked out unless `update` is set. */
  pinned?: string;
  /** Ignore the pin and check out the newest commit of `ref`. */
  update?: boolean;
}

export interface FetchOutcome {
  id: string;
  repo: string;
  ref: string;
  /** The commit now checked out (detached HEAD). */
  commit: string;
  /** UTC day (YYYY-MM-DD) of that commit's committer date. */
  date: string;
  /** Absolute path of the checkout. */
  path: string;
  /** Commit checked out before this run, or null for a fresh clone. */
  previous: string | null;
  action: 'cloned' | 'updated' | 'unchanged';
}

/**
 * Bring `<cacheDir>/<dir>` to the pinned commit (or, with `update`, the tip of `ref`) using a
 * shallow fetch by commit, falling back to a full fetch of the ref when the remote refuses
 * fetching by SHA. Crash-safe: objects are fetched before the work tree is touched, and a first
 * clone is built in `<dir>.tmp-<pid>` and renamed into place, so an interrupted or failed fetch
 * leaves the previous checkout as it was. Rejects with a FetchError carrying a hint.
 */
export async function fetchSource(source: FetchSourceInput, opts: FetchSourceOptions): Promise<FetchOutcome> {
  if (!source.repo) throw new FetchError('bad-config', `source ${source.id} has no repo to fetch`, 'add `repo:` to the source, or leave it out of fetch-sources');
  const repo = source.repo;
  const ref = source.ref ?? 'HEAD';
  const wanted = opts.update ? null : (opts.pinned ?? source.commit ?? null);
  if (wanted !== null && !commitHashSchema.safeParse(wanted).success) {
    throw new FetchError('unknown-commit', `source ${source.id}: pinned commit "${wanted}" is not a full commit hash`, 'pin a full 40-character hash, or run with --update to pin the tip of the ref');
  }
  const ctx: Ctx = { id: source.id, repo, ref, git: opts };
  const path = resolve(opts.cacheDir, source.dir);
  mkdirSync(dirname(path), { recursive: true });
  removeStaleStaging(path);

  if (existsSync(path) && !isEmptyDir(path)) {
    if (!existsSync(join(path, '.git'))) {
      throw new FetchError('corrupt-cache', `source ${source.id}: ${path} exists but is not a git checkout`, `delete ${path} (or the whole cache) and run fetch-sources again`);
    }
    removeStaleLocks(join(path, '.git'));
    const head = await git(ctx, path, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
    if (head.code !== 0) throw corrupt(ctx, path, head);
    const previous = head.stdout.trim();
    await ensureOrigin(ctx, path);
    const commit = await obtainCommit(ctx, path, wanted);
    await checkout(ctx, path, commit);
    const date = await commitDate(ctx, path, commit);
    return { id: source.id, repo, ref, commit, date, path, previous, action: commit === previous ? 'unchanged' : 'updated' };
  }

  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  const staging = `${path}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await must(ctx, staging, ['-c', 'init.defaultBranch=main', 'init', '-q']);
    await must(ctx, staging, ['remote', 'add', 'origin', repo]);
    const commit = await obtainCommit(ctx, staging, wanted);
    await checkout(ctx, staging, commit);
    const date = await commitDate(ctx, staging, commit);
    renameSync(staging, path);
    return { id: source.id, repo, ref, commit, date, path, previous: null, action: 'cloned' };
  } catch (e) {
    // An abort kills git first; removing the half-built staging dir is safe either way.
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** `git fetch`, giving up on a connection that stalls (under 1 KB/s for a minute) instead of hanging CI. */
const FETCH = ['-c', 'http.lowSpeedLimit=1000', '-c', 'http.lowSpeedTime=60', 'fetch'];

interface Ctx {
  id: string;
  repo: string;
  ref: string;
  git: Omit<GitOptions, 'cwd'>;
}

function git(ctx: Ctx, cwd: string, args: string[]): Promise<GitResult> {
  return runGit(args, { ...ctx.git, cwd });
}

async function must(ctx: Ctx, cwd: string, args: string[]): Promise<GitResult> {
  const r = await git(ctx, cwd, args);
  if (r.code !== 0) throw corrupt(ctx, cwd, r);
  return r;
}

/** The commit to check out, with its objects present locally; fetches only what is missing. */
async function obtainCommit(ctx: Ctx, cwd: string, wanted: string | null): Promise<string> {
  if (wanted === null) {
    const r = await git(ctx, cwd, [...FETCH, '-q', '--no-tags', '--depth', '1', 'origin', ctx.ref]);
    if (r.code !== 0) throw fetchFailure(ctx, cwd, r);
    const tip = await git(ctx, cwd, ['rev-parse', '--verify', '-q', 'FETCH_HEAD^{commit}']);
    if (tip.code !== 0) throw corrupt(ctx, cwd, tip);
    return tip.stdout.trim();
  }
  if (await hasCommit(ctx, cwd, wanted)) return wanted;
  const bySha = await git(ctx, cwd, [...FETCH, '-q', '--no-tags', '--depth', '1', 'origin', wanted]);
  if (bySha.code === 0 && (await hasCommit(ctx, cwd, wanted))) return wanted;
  const kind = classifyGitFailure(bySha.stderr);
  if (kind === 'unreachable' || kind === 'corrupt') throw fetchFailure(ctx, cwd, bySha);
  // The remote refuses fetching by SHA (or does not know it): fetch the whole ref and look again.
  const shallow = await git(ctx, cwd, ['rev-parse', '--is-shallow-repository']);
  const deepen = shallow.stdout.trim() === 'true' ? ['--unshallow'] : [];
  const full = await git(ctx, cwd, [...FETCH, '-q', '--no-tags', ...deepen, 'origin', ctx.ref]);
  if (full.code !== 0) throw fetchFailure(ctx, cwd, full);
  if (await hasCommit(ctx, cwd, wanted)) return wanted;
  throw new FetchError(
    'unknown-commit',
    `source ${ctx.id}: commit ${wanted} is not in ${ctx.ref} of ${ctx.repo}`,
    'the pin is mistyped or the branch was rewritten; fix catalog/sources.lock.json or run with --update to pin the current tip',
  );
}

/** The commit's committer date as a UTC day; the lock records it so the build can date the site. */
async function commitDate(ctx: Ctx, cwd: string, sha: string): Promise<string> {
  const r = await must(ctx, cwd, ['show', '-s', '--format=%ct', sha]);
  const secs = Number(r.stdout.trim());
  return new Date((Number.isFinite(secs) ? secs : 0) * 1000).toISOString().slice(0, 10);
}

async function hasCommit(ctx: Ctx, cwd: string, sha: string): Promise<boolean> {
  return (await git(ctx, cwd, ['cat-file', '-e', `${sha}^{commit}`])).code === 0;
}

async function ensureOrigin(ctx: Ctx, cwd: string): Promise<void> {
  const url = await git(ctx, cwd, ['remote', 'get-url', 'origin']);
  if (url.code !== 0) await must(ctx, cwd, ['remote', 'add', 'origin', ctx.repo]);
  else if (url.stdout.trim() !== ctx.repo) await must(ctx, cwd, ['remote', 'set-url', 'origin', ctx.repo]);
}

/** Make the work tree exactly `sha`: forced detached checkout, then drop untracked leftovers. */
async function checkout(ctx: Ctx, cwd: string, sha: string): Promise<void> {
  await must(ctx, cwd, ['-c', 'advice.detachedHead=false', 'checkout', '-q', '--force', '--detach', sha]);
  await must(ctx, cwd, ['clean', '-q', '-ffdx']);
}

function fetchFailure(ctx: Ctx, cwd: string, r: GitResult): FetchError {
  const reason = gitReason(r.stderr);
  switch (classifyGitFailure(r.stderr)) {
    case 'unreachable':
      return new FetchError('remote-unreachable', `source ${ctx.id}: cannot reach ${ctx.repo} (${reason})`, 'check the repo URL in the sources file, your network, and that the repository is public');
    case 'unknown-ref':
      return new FetchError('unknown-ref', `source ${ctx.id}: ref ${ctx.ref} not found in ${ctx.repo} (${reason})`, 'check `ref:` in the sources file: it must be an existing branch or tag of the repository');
    case 'corrupt':
      return corrupt(ctx, cwd, r);
    default:
      return new FetchError('git-failed', `source ${ctx.id}: git fetch from ${ctx.repo} failed (${reason})`, 'run the same fetch by hand in the checkout to see the full output');
  }
}

function corrupt(ctx: Ctx, cwd: string, r: GitResult): FetchError {
  return new FetchError('corrupt-cache', `source ${ctx.id}: the checkout in ${cwd} is damaged (${gitReason(r.stderr)})`, `delete ${cwd} and run fetch-sources again`);
}

/** Lock files left by a git that was killed; the cache belongs to one fetch-sources run at a time. */
function removeStaleLocks(gitDir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(gitDir);
  } catch {
    return;
  }
  for (const name of names) if (name.endsWith('.lock')) rmSync(join(gitDir, name), { force: true });
}

/** Staging folders of earlier runs that died mid-clone (their process is gone). */
function removeStaleStaging(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[] = [];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dirname(path), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isEmptyDir(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length === 0;
  } catch {
    return false;
  }
}
