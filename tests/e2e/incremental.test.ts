/**
 * End to end: an upstream Sigma repository with two commits, fetched, indexed with the incremental
 * cache, compared build to build. The warm build's JSON API must be byte-identical to a clean one.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchSource } from '../../src/lib/fetch/index.js';
import { runIndex } from '../../src/lib/pipeline/run.js';
import { writeApi } from '../../src/lib/pipeline/write-api.js';
import { snapshotFromApi, snapshotOf, trackChanges, writeChangeFeeds } from '../../src/lib/changes/index.js';
import { makeUpstream } from '../fetch/git-fixture.js';

const upstream = makeUpstream('sigma');
afterAll(() => rmSync(upstream.root, { recursive: true, force: true }));

function sigmaRule(id: string, title: string, tag: string, detection: string): string {
  return [
    `title: ${title}`,
    `id: ${id}`,
    'status: test',
    `description: ${title} (written for this test).`,
    'author: Test',
    'date: 2024-01-01',
    'tags:',
    `    - attack.${tag}`,
    'logsource:',
    '    category: process_creation',
    '    product: windows',
    'detection:',
    detection,
    '    condition: selection',
    'level: medium',
    '',
  ].join('\n');
}

const KEEP = sigmaRule('0b6f1b4e-0001-4000-8000-000000000001', 'Encoded PowerShell', 't1059.001', "    selection:\n        Image|endswith: '\\powershell.exe'\n        CommandLine|contains: ' -enc '");
const DROP = sigmaRule('0b6f1b4e-0002-4000-8000-000000000002', 'Certutil Download', 't1105', "    selection:\n        Image|endswith: '\\certutil.exe'\n        CommandLine|contains: 'urlcache'");
const EDIT_1 = sigmaRule('0b6f1b4e-0003-4000-8000-000000000003', 'Suspicious Shell Child', 't1059', "    selection:\n        ParentImage|endswith: '\\winword.exe'\n        Image|endswith: '\\cmd.exe'");
const EDIT_2 = sigmaRule('0b6f1b4e-0003-4000-8000-000000000003', 'Suspicious Shell Child', 't1059', "    selection:\n        ParentImage|endswith: '\\winword.exe'\n        Image|endswith: '\\mshta.exe'");
const ADD = sigmaRule('0b6f1b4e-0004-4000-8000-000000000004', 'Bitsadmin Transfer', 't1105', "    selection:\n        Image|endswith: '\\bitsadmin.exe'\n        CommandLine|contains: '/transfer'");

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

describe('incremental index and change feed', () => {
  it('fetches two commits, indexes warm, lists the changes and matches a clean build', async () => {
    const c1 = upstream.commit({ 'rules/keep.yml': KEEP, 'rules/drop.yml': DROP, 'rules/edit.yml': EDIT_1 }, 'one');
    const root = join(upstream.root, 'build');
    mkdirSync(join(root, 'attack'), { recursive: true });
    copyFileSync('samples/attack/enterprise-attack.json', join(root, 'attack', 'enterprise-attack.json'));
    const sourcesFile = join(root, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      [
        'attack:',
        '  bundle: attack/enterprise-attack.json',
        'sources:',
        '  - id: sigma',
        '    format: sigma',
        '    title: Test Sigma',
        '    dir: sigma',
        "    include: ['rules/**/*.yml']",
        `    repo: ${upstream.url}`,
        '    ref: main',
        '',
      ].join('\n'),
    );
    const cacheDir = join(root, 'cache');
    const source = { id: 'sigma', dir: 'sigma', repo: upstream.url, ref: 'main' };

    // Build 1 at commit 1, cold cache.
    expect((await fetchSource(source, { cacheDir: root, update: true })).commit).toBe(c1);
    const run1 = runIndex({ sourcesFile, root, cacheDir });
    expect(run1.cache).toMatchObject({ hits: 0, misses: 3 });
    expect(run1.incremental).toMatchObject({ mode: 'full', reason: 'no-state' });
    expect(run1.index.rules.map((r) => r.title).sort()).toEqual(['Certutil Download', 'Encoded PowerShell', 'Suspicious Shell Child']);
    writeApi(run1.index, join(root, 'api-1'));
    const t1 = trackChanges(run1.index, { stateDir: cacheDir });
    expect(t1.log.current.firstBuild).toBe(true);
    t1.commit();

    // Commit 2: add one rule, remove one, change one rule's predicates.
    rmSync(join(upstream.root, 'sigma-work', 'rules', 'drop.yml'));
    const c2 = upstream.commit({ 'rules/add.yml': ADD, 'rules/edit.yml': EDIT_2 }, 'two');
    expect((await fetchSource(source, { cacheDir: root, update: true })).commit).toBe(c2);

    // Build 2, warm: from the first build's index state, only the two new texts are parsed and the
    // removed file's rule is dropped; the unchanged rule is not read again.
    const run2 = runIndex({ sourcesFile, root, cacheDir });
    expect(run2.incremental).toMatchObject({ mode: 'warm', stats: { files: 3, parsed: 2, removed: 1 } });
    const t2 = trackChanges(run2.index, { stateDir: cacheDir });
    expect(t2.previousFrom).toBe('state');
    const cs = t2.log.current;
    expect(cs.firstBuild).toBe(false);
    expect(cs.counts).toEqual({ added: 1, removed: 1, changed: 1 });
    const [sigma] = cs.sources;
    expect(sigma).toMatchObject({ id: 'sigma', from: c1, to: c2 });
    expect(sigma!.rules.map((r) => `${r.kind}: ${r.rule.title}`)).toEqual(['added: Bitsadmin Transfer', 'changed: Suspicious Shell Child', 'removed: Certutil Download']);
    const edit = sigma!.rules[1]!;
    expect(edit.predicates!.added).toEqual([expect.stringMatching(/mshta\.exe/)]);
    expect(edit.predicates!.removed).toEqual([expect.stringMatching(/cmd\.exe/)]);
    expect(edit.techniques).toBeUndefined();
    // T1059 gains the new mshta value; T1105 gains bitsadmin's values.
    const t1059 = cs.techniques.find((t) => t.id === 'T1059')!;
    expect(t1059.newIndicators.map((n) => n.text)).toEqual([expect.stringMatching(/mshta\.exe/)]);
    expect(cs.techniques.find((t) => t.id === 'T1105')!.newIndicators.map((n) => n.text).join(' ')).toMatch(/bitsadmin\.exe.*\/transfer|\/transfer.*bitsadmin\.exe/);
    t2.commit();

    // The warm build's API equals a clean build's, byte for byte.
    writeApi(run2.index, join(root, 'api-warm'));
    const clean = runIndex({ sourcesFile, root });
    expect(clean.cache).toBeUndefined();
    writeApi(clean.index, join(root, 'api-clean'));
    const files = listFiles(join(root, 'api-warm'));
    expect(files).toEqual(listFiles(join(root, 'api-clean')));
    for (const f of files) expect(readFileSync(join(root, 'api-warm', f)).equals(readFileSync(join(root, 'api-clean', f))), f).toBe(true);

    // The previous build can also come from its published API (no cache kept).
    const fromApi = snapshotFromApi(join(root, 'api-1'))!;
    expect(fromApi.rules).toEqual(snapshotOf(run1.index).rules);
    const viaApi = trackChanges(run2.index, { stateDir: join(root, 'no-state'), previousApiDir: join(root, 'api-1') });
    expect(viaApi.previousFrom).toBe('api');
    expect(viaApi.log.current.sources[0]!.rules).toEqual(sigma!.rules);

    // Feeds: three entries site-wide; T1105's feed has the added and the removed rule.
    const dist = join(root, 'dist');
    const techniques = run2.index.techniques;
    const n = writeChangeFeeds(t2.log, dist, { techniques, ruleExists: () => true, techniqueExists: () => true });
    expect(n).toBe(2 + 2 * techniques.length);
    expect(readFileSync(join(dist, 'changes.atom'), 'utf8').match(/<entry>/g)).toHaveLength(3);
    const t1105 = JSON.parse(readFileSync(join(dist, 'techniques', 'T1105', 'changes.json'), 'utf8')) as { items: { title: string }[] };
    expect(t1105.items.map((i) => i.title)).toEqual(['Added: Bitsadmin Transfer (Test Sigma)', 'Removed: Certutil Download (Test Sigma)']);
    expect(existsSync(join(dist, 'techniques', 'T1059', '001', 'changes.atom'))).toBe(true);
  });
});
