import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourcesFile } from '../../src/lib/catalog/schema.js';
import { fetchAll, fetchTargets, readLock, serializeLock, sourceCommit, writeLock, type SourcesLock } from '../../src/lib/fetch/index.js';
import { makeUpstream, type UpstreamRepo } from './git-fixture.js';

const made: UpstreamRepo[] = [];
afterEach(() => {
  for (const u of made.splice(0)) rmSync(u.root, { recursive: true, force: true });
});

function setup() {
  const rules = makeUpstream('rules');
  made.push(rules);
  const c1 = rules.commit({ 'rules/a.yml': 'v1\n' }, 'one');
  const attack = makeUpstream('cti');
  made.push(attack);
  const a1 = attack.commit({ 'enterprise-attack/enterprise-attack.json': '{"objects":[]}' }, 'bundle');
  const config: SourcesFile = {
    attack: { bundle: 'attack/enterprise-attack/enterprise-attack.json', repo: attack.url },
    sources: [
      { id: 'sigma', format: 'sigma', dir: 'sigma', include: ['rules/**/*.yml'], exclude: [], repo: rules.url, ref: 'main' },
      { id: 'sigma-hunting', format: 'sigma', dir: 'sigma', include: ['rules-threat-hunting/**/*.yml'], exclude: [], repo: rules.url, ref: 'main' },
      { id: 'local', format: 'elastic', dir: 'local-rules', include: ['**/*.toml'], exclude: [] },
    ],
  };
  return { rules, attack, c1, a1, config, cache: join(rules.root, 'cache'), lockFile: join(rules.root, 'sources.lock.json') };
}

describe('fetchTargets', () => {
  it('fetches shared folders once and derives the ATT&CK folder from the bundle path', () => {
    const { config, rules, attack } = setup();
    const { targets, problems } = fetchTargets(config);
    expect(problems).toEqual([]);
    expect(targets).toEqual([
      { id: 'sigma', ids: ['sigma', 'sigma-hunting'], repo: rules.url, ref: 'main', dir: 'sigma' },
      { id: 'attack', ids: ['attack'], repo: attack.url, ref: 'HEAD', dir: 'attack' },
    ]);
  });

  it('reports a folder outside the cache and two repos in one folder', () => {
    const { config } = setup();
    const bad: SourcesFile = {
      attack: { bundle: 'bundle.json', repo: 'file:///x' },
      sources: [
        { ...config.sources[0]!, dir: '../escape' },
        { ...config.sources[0]!, id: 'one', dir: 'same' },
        { ...config.sources[0]!, id: 'two', dir: 'same', repo: 'file:///other' },
      ],
    };
    const { problems } = fetchTargets(bad);
    expect(problems.map((p) => p.message)).toEqual([
      'attack.bundle bundle.json has no folder to clone file:///x into',
      'source sigma: dir ../escape is not a folder inside the cache',
      'sources one and two share dir same but name different repos or refs',
    ]);
  });
});

describe('lock file', () => {
  it('serializes with sorted keys and no timestamps', () => {
    const lock: SourcesLock = { sources: { zeta: { ref: 'main', repo: 'r', commit: 'a'.repeat(40) }, alpha: { repo: 'q', ref: 'HEAD', commit: 'b'.repeat(40) } } };
    expect(serializeLock(lock)).toBe(
      `{\n  "sources": {\n    "alpha": {\n      "commit": "${'b'.repeat(40)}",\n      "ref": "HEAD",\n      "repo": "q"\n    },\n    "zeta": {\n      "commit": "${'a'.repeat(40)}",\n      "ref": "main",\n      "repo": "r"\n    }\n  }\n}\n`,
    );
  });

  it('reads the lock format the build reads (with commit dates)', () => {
    const { rules } = setup();
    const file = join(rules.root, 'lock.json');
    writeFileSync(file, JSON.stringify({ sources: { sigma: { commit: 'c'.repeat(40), date: '2026-08-05', ref: 'master', repo: 'https://example.test/sigma' } } }));
    expect(readLock(file).sources.sigma?.date).toBe('2026-08-05');
    expect(writeLock(file, readLock(file))).toBe(true); // rewritten in canonical form once
    expect(writeLock(file, readLock(file))).toBe(false);
  });

  it('reads a missing lock as empty and rejects a malformed one with a hint', () => {
    const { rules } = setup();
    const file = join(rules.root, 'lock.json');
    expect(readLock(file)).toEqual({ sources: {} });
    writeFileSync(file, '{"sources": {"x": {"repo": "r", "ref": "main", "commit": "abc"}}}');
    expect(() => readLock(file)).toThrow(/malformed at sources\.x\.commit: a full lower-case commit hash/);
    writeFileSync(file, '{oops');
    expect(() => readLock(file)).toThrow(/is not valid JSON/);
  });
});

describe('fetchAll', () => {
  it('pins on first run, keeps the pin, and moves it only with update', async () => {
    const { rules, c1, a1, config, cache, lockFile } = setup();
    const first = await fetchAll(config, readLock(lockFile), { cacheDir: cache });
    expect(first.errors).toEqual([]);
    // The fixture commits are dated 2024-01-01T00:00:00Z (GIT_COMMITTER_DATE).
    expect(first.lock.sources).toEqual({
      attack: { repo: config.attack.repo, ref: 'HEAD', commit: a1, date: '2024-01-01' },
      sigma: { repo: rules.url, ref: 'main', commit: c1, date: '2024-01-01' },
      'sigma-hunting': { repo: rules.url, ref: 'main', commit: c1, date: '2024-01-01' },
    });
    expect(writeLock(lockFile, first.lock)).toBe(true);
    expect(sourceCommit(join(cache, 'attack'))).toBe(a1);

    const c2 = rules.commit({ 'rules/a.yml': 'v2\n' }, 'two');
    const pinned = await fetchAll(config, readLock(lockFile), { cacheDir: cache });
    expect(pinned.outcomes.map((o) => [o.id, o.action])).toEqual([['sigma', 'unchanged'], ['attack', 'unchanged']]);
    expect(writeLock(lockFile, pinned.lock)).toBe(false);
    expect(readFileSync(join(cache, 'sigma/rules/a.yml'), 'utf8')).toBe('v1\n');

    const updated = await fetchAll(config, readLock(lockFile), { cacheDir: cache, update: true, only: 'sigma-hunting' });
    expect(updated.outcomes.map((o) => [o.id, o.action])).toEqual([['sigma', 'updated']]);
    expect(writeLock(lockFile, updated.lock)).toBe(true);
    const lock = readLock(lockFile);
    expect(lock.sources.sigma?.commit).toBe(c2);
    expect(lock.sources.attack?.commit).toBe(a1);
    expect(readFileSync(join(cache, 'sigma/rules/a.yml'), 'utf8')).toBe('v2\n');
  });

  it('says where the ATT&CK bundle is when attack.bundle does not match the repository', async () => {
    const { attack, config, cache } = setup();
    const wrong: SourcesFile = { ...config, attack: { bundle: 'attack/enterprise-attack.json', repo: attack.url } };
    const r = await fetchAll(wrong, { sources: {} }, { cacheDir: cache, only: 'attack' });
    expect(r.outcomes).toHaveLength(1);
    expect(r.errors.map((e) => [e.code, e.message, e.hint])).toEqual([
      [
        'bad-config',
        `attack.bundle attack/enterprise-attack.json is not in the checkout of ${attack.url} at ${r.outcomes[0]!.commit.slice(0, 12)}`,
        'the checkout has it at attack/enterprise-attack/enterprise-attack.json: set attack.bundle to that path',
      ],
    ]);
  });

  it('keeps the old pin of a source that fails and reports an unknown --only', async () => {
    const { c1, config, cache, lockFile } = setup();
    writeLock(lockFile, (await fetchAll(config, { sources: {} }, { cacheDir: cache })).lock);
    const broken: SourcesFile = { ...config, sources: config.sources.map((s) => ({ ...s, ref: s.repo ? 'gone' : undefined })) };
    const r = await fetchAll(broken, readLock(lockFile), { cacheDir: cache, update: true });
    expect(r.errors.map((e) => e.code)).toEqual(['unknown-ref']);
    expect(r.lock.sources.sigma?.commit).toBe(c1);
    const none = await fetchAll(config, readLock(lockFile), { cacheDir: cache, only: 'nope' });
    expect(none.errors.map((e) => e.message)).toEqual(['--only nope: no source with a repo has this id']);
  });
});

describe('fetch-sources CLI', () => {
  const cli = resolve('scripts/fetch-sources.ts');
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env, cwd: process.cwd() });

  it('fetches, writes the lock, and prints one line per source', () => {
    const { rules, c1, cache, lockFile } = setup();
    const yamlFile = join(rules.root, 'sources.yaml');
    writeFileSync(
      yamlFile,
      `attack:\n  bundle: attack/enterprise-attack.json\nsources:\n  - id: sigma\n    format: sigma\n    dir: sigma\n    include: ['rules/**/*.yml']\n    repo: ${rules.url}\n    ref: main\n`,
    );
    const r = run(['--sources', yamlFile, '--cache', cache, '--lock', lockFile]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`[fetch] sigma: ${c1.slice(0, 12)} cloned (${rules.url} main)`);
    expect(r.stderr).toMatch(/\[fetch\] done: 1\/1 in [\d.]+s; 1 ok, 0 failed; lock rewritten/);
    expect(r.stderr).not.toContain('\r');
    expect(readLock(lockFile).sources.sigma?.commit).toBe(c1);

    const noGit = run(['--sources', yamlFile, '--cache', join(rules.root, 'cache2'), '--lock', lockFile, '--update'], { ...process.env, PATH: join(rules.root, 'no-bin') });
    expect(noGit.status).toBe(1);
    expect(noGit.stderr).toContain('[fetch] error[git-missing]: cannot run `git`: not found on PATH (hint: install git');
    expect(readLock(lockFile).sources.sigma?.commit).toBe(c1);
  });
});
