import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError, fetchSource, formatFetchError, sourceCommit } from '../../src/lib/fetch/index.js';
import { makeUpstream, type UpstreamRepo } from './git-fixture.js';

const made: UpstreamRepo[] = [];
afterEach(() => {
  for (const u of made.splice(0)) rmSync(u.root, { recursive: true, force: true });
});

/** Upstream with two commits on main; the tip is commit 2. */
function twoCommits() {
  const up = makeUpstream();
  made.push(up);
  const c1 = up.commit({ 'rules/a.yml': 'title: a v1\n' }, 'first');
  const c2 = up.commit({ 'rules/a.yml': 'title: a v2\n', 'rules/b.yml': 'title: b\n' }, 'second');
  return { up, c1, c2, cache: join(up.root, 'cache'), checkout: join(up.root, 'cache', 'sigma') };
}

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FetchError);
    return e as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

describe('fetchSource', () => {
  it('checks out the pinned commit, not the tip, with a shallow fetch', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    const r = await fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' }, { cacheDir: cache, pinned: c1 });
    expect(r).toMatchObject({ commit: c1, action: 'cloned', previous: null, path: checkout });
    expect(readFileSync(join(checkout, 'rules/a.yml'), 'utf8')).toBe('title: a v1\n');
    expect(existsSync(join(checkout, 'rules/b.yml'))).toBe(false);
    expect(sourceCommit(checkout)).toBe(c1);
    expect(existsSync(join(checkout, '.git', 'shallow'))).toBe(true);
    expect(readdirSync(cache)).toEqual(['sigma']);
  });

  it('update moves to the tip of the ref; a second run is a no-op', async () => {
    const { up, c1, c2, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    const r = await fetchSource(src, { cacheDir: cache, pinned: c1, update: true });
    expect(r).toMatchObject({ commit: c2, previous: c1, action: 'updated' });
    expect(readFileSync(join(checkout, 'rules/b.yml'), 'utf8')).toBe('title: b\n');
    const again = await fetchSource(src, { cacheDir: cache, pinned: c2 });
    expect(again.action).toBe('unchanged');
  });

  it('restores a tampered work tree to the pinned commit', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    writeFileSync(join(checkout, 'rules/a.yml'), 'edited');
    writeFileSync(join(checkout, 'stray.txt'), 'left over');
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    expect(readFileSync(join(checkout, 'rules/a.yml'), 'utf8')).toBe('title: a v1\n');
    expect(existsSync(join(checkout, 'stray.txt'))).toBe(false);
  });

  it('falls back to a full fetch of the ref when the remote refuses fetching by SHA', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    // Protocol v0 upload-pack refuses unadvertised objects (c1 is not a branch tip).
    const env = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.version', GIT_CONFIG_VALUE_0: '0' };
    const r = await fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' }, { cacheDir: cache, pinned: c1, env });
    expect(r.commit).toBe(c1);
    expect(readFileSync(join(checkout, 'rules/a.yml'), 'utf8')).toBe('title: a v1\n');
  });

  it('an unknown ref is a clear one-line error', async () => {
    const { up, cache } = twoCommits();
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url, ref: 'no-such-branch' }, { cacheDir: cache, update: true }));
    expect(err.code).toBe('unknown-ref');
    expect(err.message).toMatch(/ref no-such-branch not found in file:\/\//);
    expect(err.hint).toMatch(/ref:/);
    expect(formatFetchError(err)).not.toMatch(/\n/);
    expect(existsSync(join(cache, 'sigma'))).toBe(false);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('a commit the remote does not have is a clear error', async () => {
    const { up, cache } = twoCommits();
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' }, { cacheDir: cache, pinned: 'f'.repeat(40) }));
    expect(err.code).toBe('unknown-commit');
    expect(err.message).toContain('f'.repeat(40));
    expect(err.hint).toMatch(/--update/);
  });

  it('an abbreviated pin is rejected before any git call', async () => {
    const { up, cache } = twoCommits();
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url }, { cacheDir: cache, pinned: 'abc123' }));
    expect(err.code).toBe('unknown-commit');
  });

  it('an unreachable remote is a clear error', async () => {
    const { up, cache } = twoCommits();
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: `file://${up.root}/missing.git`, ref: 'main' }, { cacheDir: cache, update: true }));
    expect(err.code).toBe('remote-unreachable');
    expect(err.message).toMatch(/^source sigma: cannot reach file:\/\/.*missing\.git \(fatal: .*\)$/);
    expect(err.hint).toMatch(/repo URL/);
  });

  it('missing git is a clear error', async () => {
    const { up, cache } = twoCommits();
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url }, { cacheDir: cache, update: true, env: { PATH: join(up.root, 'no-bin') } }));
    expect(err.code).toBe('git-missing');
    expect(formatFetchError(err)).toBe('error[git-missing]: cannot run `git`: not found on PATH (hint: install git (e.g. `apt-get install git`) or put it on PATH)');
  });

  it('a cache folder that is not a checkout is reported, not overwritten', async () => {
    const { up, cache, checkout } = twoCommits();
    mkdirSync(checkout, { recursive: true });
    writeFileSync(join(checkout, 'mine.txt'), 'keep');
    const err = await failure(fetchSource({ id: 'sigma', dir: 'sigma', repo: up.url }, { cacheDir: cache, update: true }));
    expect(err.code).toBe('corrupt-cache');
    expect(err.hint).toContain(checkout);
    expect(readFileSync(join(checkout, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('a damaged .git is reported as a corrupt cache', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    writeFileSync(join(checkout, '.git', 'HEAD'), 'garbage\n');
    const err = await failure(fetchSource(src, { cacheDir: cache, pinned: c1 }));
    expect(err.code).toBe('corrupt-cache');
    expect(err.hint).toMatch(/^delete .*sigma and run fetch-sources again$/);
  });
});

describe('interrupted fetches leave the previous checkout usable', () => {
  function expectIntact(checkout: string, c1: string) {
    expect(sourceCommit(checkout)).toBe(c1);
    expect(readFileSync(join(checkout, 'rules/a.yml'), 'utf8')).toBe('title: a v1\n');
    expect(existsSync(join(checkout, 'rules/b.yml'))).toBe(false);
  }

  it('when the second fetch fails (remote gone)', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    renameSync(up.bare, `${up.bare}.away`);
    const err = await failure(fetchSource(src, { cacheDir: cache, update: true }));
    expect(err.code).toBe('remote-unreachable');
    expectIntact(checkout, c1);
  });

  it('when git is killed in the middle of the update fetch', async () => {
    const { up, c1, c2, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    const ac = new AbortController();
    const onCommand = (args: readonly string[]) => {
      if (args.includes('fetch')) ac.abort();
    };
    const err = await failure(fetchSource(src, { cacheDir: cache, update: true, signal: ac.signal, onCommand }));
    expect(err.code).toBe('interrupted');
    expect(err.message).toBe('git fetch was interrupted');
    expectIntact(checkout, c1);
    // Leftover lock files of the killed git do not block the next run.
    writeFileSync(join(checkout, '.git', 'shallow.lock'), '');
    const r = await fetchSource(src, { cacheDir: cache, update: true });
    expect(r.commit).toBe(c2);
  });

  it('when the first clone is killed: nothing half-built is left in place', async () => {
    const { up, c1, cache, checkout } = twoCommits();
    const src = { id: 'sigma', dir: 'sigma', repo: up.url, ref: 'main' };
    const ac = new AbortController();
    const err = await failure(
      fetchSource(src, { cacheDir: cache, pinned: c1, signal: ac.signal, onCommand: (a) => a.includes('fetch') && ac.abort() }),
    );
    expect(err.code).toBe('interrupted');
    expect(existsSync(checkout)).toBe(false);
    // A staging folder left by a run that died outright is cleaned up by the next one.
    mkdirSync(join(cache, 'sigma.tmp-999999999', '.git'), { recursive: true });
    await fetchSource(src, { cacheDir: cache, pinned: c1 });
    expect(readdirSync(cache)).toEqual(['sigma']);
    expectIntact(checkout, c1);
  });
});
