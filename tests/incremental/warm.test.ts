/**
 * The incremental index (src/lib/incremental): a warm run from the previous run's state must give
 * an index whose JSON is byte-identical to a run without any cache on the same files. One copy of
 * the sample corpus is edited scenario by scenario (the state carries over, so order matters); after
 * each edit a cached run is compared with a fresh uncached one, and its mode and figures checked.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex, type IndexRun } from '../../src/lib/pipeline/run.js';
import { MAX_RULE_BYTES } from '../../src/lib/pipeline/collect.js';
import { isLazy, isPending } from '../../src/lib/incremental/lazy.js';
import type { RuleRecord } from '../../src/lib/aggregate/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'incremental-warm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const root = tmp;
cpSync('samples', join(root, 'samples'), { recursive: true });
// The project's sources file as it is: its dirs (samples/...) are relative to --root, here the temp folder.
const sourcesFile = join(root, 'sources.yaml');
writeFileSync(sourcesFile, readFileSync('catalog/sources.yaml'));
const cacheDir = join(root, 'cache');
const stateDir = join(cacheDir, 'state');

const SIGMA = join(root, 'samples', 'sigma');
const ELASTIC = join(root, 'samples', 'elastic');
const SPLUNK = join(root, 'samples', 'splunk');

/** A run with the cache (incremental by default). */
function cached(): IndexRun {
  return runIndex({ sourcesFile, root, cacheDir });
}

type Json = Record<string, unknown>;

/** Why two index JSONs differ: per top-level section, and per rule / technique / event / source inside the big ones. */
function differences(got: Json, want: Json): string[] {
  const out: string[] = [];
  const kg = Object.keys(got);
  const kw = Object.keys(want);
  if (kg.join() !== kw.join()) out.push(`top-level keys: warm [${kg.join()}] vs uncached [${kw.join()}]`);
  const idOf: Record<string, (x: Json) => string> = {
    rules: (r) => `${String(r.source)}/${String(r.slug)}`,
    techniques: (t) => String(t.id),
    events: (e) => String(e.key),
    sources: (s) => String(s.id),
    tactics: (t) => String(t.id),
  };
  for (const k of new Set([...kg, ...kw])) {
    if (JSON.stringify(got[k]) === JSON.stringify(want[k])) continue;
    const id = idOf[k];
    if (!id || !Array.isArray(got[k]) || !Array.isArray(want[k])) {
      out.push(`${k}: differs (warm ${JSON.stringify(got[k])?.slice(0, 200)} vs uncached ${JSON.stringify(want[k])?.slice(0, 200)})`);
      continue;
    }
    const g = got[k] as Json[];
    const w = want[k] as Json[];
    const gm = new Map(g.map((x) => [id(x), x]));
    const wm = new Map(w.map((x) => [id(x), x]));
    for (const name of gm.keys()) if (!wm.has(name)) out.push(`${k}: ${name} only in the warm run`);
    for (const name of wm.keys()) if (!gm.has(name)) out.push(`${k}: ${name} only in the uncached run`);
    let itemDiffs = 0;
    for (const [name, a] of gm) {
      const b = wm.get(name);
      if (!b || JSON.stringify(a) === JSON.stringify(b)) continue;
      itemDiffs++;
      const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
      const order = Object.keys(a).join() !== Object.keys(b).join() ? ' (key order differs)' : '';
      const first = fields[0];
      const sample = first ? `; ${first}: warm ${JSON.stringify(a[first])?.slice(0, 160)} vs uncached ${JSON.stringify(b[first])?.slice(0, 160)}` : '';
      out.push(`${k}: ${name} differs in [${fields.join(', ')}]${order}${sample}`);
    }
    if (itemDiffs === 0 && gm.size === wm.size && [...gm.keys()].every((n) => wm.has(n))) {
      out.push(`${k}: same items, different order: warm [${g.map(id).join(' ')}] vs uncached [${w.map(id).join(' ')}]`);
    }
  }
  if (out.length === 0) out.push('serialized JSON differs (no section differs once parsed: check key order or number formatting)');
  return out.slice(0, 30);
}

/** The uncached index JSON of the previous `same` call: edits that must change the index are checked against it. */
let previous = '';

/**
 * The run's index JSON equals a fresh uncached run's on the same files; returns the uncached JSON
 * (also kept in `previous` for the next call).
 */
function same(run: IndexRun): string {
  const got = JSON.stringify(run.index);
  const want = JSON.stringify(runIndex({ sourcesFile, root }).index);
  if (got !== want) expect.fail(`warm index differs from the uncached one:\n  ${differences(JSON.parse(got) as Json, JSON.parse(want) as Json).join('\n  ')}`);
  expect(got.length).toBeGreaterThan(10_000);
  previous = want;
  return want;
}

/** Same, and nothing since the last `same` changed the index (a touch, a run with no edit). */
function sameUnchanged(run: IndexRun): void {
  const before = previous;
  expect(same(run), 'the index should not have changed').toBe(before);
}

/** Same, and the files changed since the last `same` did change the index. */
function sameAndChanged(run: IndexRun): string {
  const before = previous;
  const want = same(run);
  expect(want, 'the edit should change the index (else the comparison proves nothing)').not.toBe(before);
  return want;
}

function warmStats(run: IndexRun) {
  expect(run.incremental?.mode, `expected a warm run, got ${JSON.stringify(run.incremental)}`).toBe('warm');
  if (run.incremental?.mode !== 'warm') throw new Error('unreachable');
  return run.incremental.stats;
}

/** Write a file and give it an mtime strictly after any earlier one (a same-size edit is still seen by stat). */
let clock = Math.floor(Date.now() / 1000) + 1000;
function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  clock += 10;
  utimesSync(file, clock, clock);
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `edit of ${file} did not apply`).not.toBe(text);
  write(file, next);
}

function rule(run: IndexRun, source: string, path: string): RuleRecord[] {
  return run.index.rules.filter((r) => r.source === source && r.path === path);
}

function sigmaRule(o: { id: string; title: string; tags: string[]; detection: string[]; status?: string }): string {
  return [
    `title: ${o.title}`,
    `id: ${o.id}`,
    `status: ${o.status ?? 'test'}`,
    `description: ${o.title}, written for the incremental index tests.`,
    'author: Incremental tests',
    'date: 2024-07-01',
    'tags:',
    ...o.tags.map((t) => `    - attack.${t}`),
    'logsource:',
    '    category: process_creation',
    '    product: windows',
    'detection:',
    ...o.detection.map((l) => `    ${l}`),
    '    condition: selection',
    'level: medium',
    '',
  ].join('\n');
}

// Files of the samples the scenarios edit.
const OFFICE_CMD = 'rules/windows/process_creation/proc_creation_win_office_spawn_cmd.yml';
const TELEGRAM = 'rules/windows/dns_query/dns_query_win_telegram_api.yml';
const RUNDLL = 'rules/windows/process_creation/proc_creation_win_rundll32_no_arguments.yml';
const CURL = 'rules/linux/process_creation/proc_creation_lnx_curl_pipe_shell.yml';
const CURL_ID = '7e85f6dc-ad22-4c06-aeb9-a66b20f0bedc';
const LONG_DNS = 'rules/windows/dns_query/dns_query_win_long_subdomain_tunnel.yml';
const PASTE = 'rules/windows/network_connection/net_connection_win_paste_site_c2.yml';
const DUP = 'rules/aaa_dup/dup_download_pipe.yml';
const LARGE = 'rules/zz_large/huge.yml';

describe('warm incremental index = uncached index', () => {
  it('1. first run: full, no state', () => {
    const run = cached();
    expect(run.incremental).toMatchObject({ mode: 'full', reason: 'no-state' });
    expect(run.incremental?.mode === 'full' && run.incremental.stateBytes).toBeGreaterThan(0);
    expect(existsSync(join(stateDir, 'state.bin'))).toBe(true);
    same(run);
  });

  it('2. nothing changed: warm, nothing read, rules lazy until serialized', () => {
    const run = cached();
    const stats = warmStats(run);
    expect(stats).toMatchObject({ statChanged: 0, parsed: 0, removed: 0, techniquesRecomputed: 0, eventsRecomputed: 0 });
    expect(stats.files).toBe(45);
    const rules = run.index.rules;
    expect(rules.length).toBe(48);
    // Before any access, the kept rules are lazy records not decoded yet.
    const pending = rules.filter((r) => isLazy(r) && isPending(r));
    expect(pending.length).toBeGreaterThan(rules.length / 2);
    expect(run.index.techniques.some((t) => isLazy(t) && isPending(t))).toBe(true);
    same(run);
    // Serializing decoded them.
    expect(rules.filter((r) => isPending(r))).toEqual([]);
  });

  it('3. touched file (new mtime, same text): warm, stat changed, not parsed', () => {
    const file = join(SIGMA, TELEGRAM);
    clock += 10;
    utimesSync(file, clock, clock);
    const run = cached();
    expect(warmStats(run)).toMatchObject({ statChanged: 1, parsed: 0, removed: 0 });
    sameUnchanged(run);
  });

  it('4. detection value edited so that indicator reach changes elsewhere: warm, one file parsed', () => {
    const before = JSON.parse(previous) as { rules: RuleRecord[] };
    // cmd.exe (reach 3: this rule, the Elastic and the Splunk Office rules) -> mshta.exe (reach 2).
    edit(join(SIGMA, OFFICE_CMD), "Image|endswith: '\\cmd.exe'", "Image|endswith: '\\mshta.exe'");
    const run = cached();
    // The touched file of scenario 3 kept its new mtime in the state: only the edited file is looked at.
    expect(warmStats(run)).toMatchObject({ statChanged: 1, parsed: 1, removed: 0 });
    const after = JSON.parse(sameAndChanged(run)) as { rules: RuleRecord[] };
    // Rules of other files (other sources even) show a new reach: the edit reached beyond its file.
    const reach = (rs: RuleRecord[], slug: string, key: RegExp) => rs.find((r) => r.slug === slug)!.indicators.find((i) => key.test(i.key))!.reach;
    const elasticOffice = 'e7d783e1-9cea-4313-b6ae-179857b26fd3';
    const elasticWeb = 'a4c51498-7ef3-4492-a9c3-e667ebafd5a3';
    expect([reach(before.rules, elasticOffice, /cmd\.exe/), reach(after.rules, elasticOffice, /cmd\.exe/)]).toEqual([3, 2]);
    expect([reach(before.rules, elasticWeb, /mshta\.exe/), reach(after.rules, elasticWeb, /mshta\.exe/)]).toEqual([2, 3]);
  });

  it('5. title only edited: warm, equal', () => {
    edit(join(SIGMA, LONG_DNS), /^title: .*$/m, 'title: Very Long Subdomain Lookups (Possible DNS Tunnel)');
    const run = cached();
    expect(warmStats(run)).toMatchObject({ parsed: 1, removed: 0 });
    expect(rule(run, 'sigma', LONG_DNS).map((r) => r.title)).toEqual(['Very Long Subdomain Lookups (Possible DNS Tunnel)']);
    sameAndChanged(run);
  });

  it('6. new file reusing an existing rule id: slugs shift, warm, equal', () => {
    write(
      join(SIGMA, DUP),
      sigmaRule({
        id: CURL_ID,
        title: 'Download Piped Into a Shell (Scheduled Copy)',
        // Values no other rule has: removing the file (scenario 7) touches T1053 only through the removed rule.
        tags: ['execution', 't1053'],
        detection: ['selection:', "    Image|endswith: '\\fetchpipe.exe'", "    CommandLine|contains: '--fetch-and-run'"],
      }),
    );
    const run = cached();
    expect(warmStats(run)).toMatchObject({ parsed: 1, removed: 0 });
    const dup = rule(run, 'sigma', DUP);
    const orig = rule(run, 'sigma', CURL);
    expect(dup).toHaveLength(1);
    expect(orig).toHaveLength(1);
    // The new path sorts first: it takes the plain slug, the kept rule moves to `-2`.
    expect(dup[0]!.slug).toBe(CURL_ID);
    expect(orig[0]!.slug).toBe(`${CURL_ID}-2`);
    sameAndChanged(run);
  });

  it('7. rule file deleted: warm, one removed, slug moves back', () => {
    rmSync(join(SIGMA, DUP));
    const run = cached();
    expect(warmStats(run)).toMatchObject({ removed: 1, parsed: 0 });
    expect(rule(run, 'sigma', DUP)).toEqual([]);
    expect(rule(run, 'sigma', CURL).map((r) => r.slug)).toEqual([CURL_ID]);
    sameAndChanged(run);
  });

  it('8. rule file renamed: warm, equal', () => {
    const renamed = PASTE.replace('net_connection_win_paste_site_c2.yml', 'net_connection_win_paste_sites.yml');
    renameSync(join(SIGMA, PASTE), join(SIGMA, renamed));
    const run = cached();
    expect(warmStats(run)).toMatchObject({ removed: 1, parsed: 1 });
    expect(rule(run, 'sigma', PASTE)).toEqual([]);
    expect(rule(run, 'sigma', renamed)).toHaveLength(1);
    sameAndChanged(run);
  });

  it('9. one rule deprecated, another tagged with a new technique: warm, equal', () => {
    edit(join(SIGMA, TELEGRAM), /^status: .*$/m, 'status: deprecated');
    edit(join(SIGMA, RUNDLL), '    - attack.t1218.011', '    - attack.t1218.011\n    - attack.t1027');
    const run = cached();
    expect(warmStats(run)).toMatchObject({ parsed: 2, removed: 0 });
    expect(rule(run, 'sigma', TELEGRAM).map((r) => r.deprecated)).toEqual([true]);
    expect(rule(run, 'sigma', RUNDLL)[0]!.techniques).toContain('T1027');
    sameAndChanged(run);
  });

  it('10. Elastic rule added and Splunk detection edited in one run: warm, equal', () => {
    write(
      join(ELASTIC, 'rules', 'defense_evasion_mshta_remote_script.toml'),
      [
        '[metadata]',
        'creation_date = "2025/02/01"',
        'integration = ["endpoint"]',
        'maturity = "production"',
        'updated_date = "2025/02/01"',
        '',
        '[rule]',
        'author = ["Incremental tests"]',
        'description = "Detects mshta.exe given a remote script address, written for the incremental index tests."',
        'from = "now-9m"',
        'index = ["logs-endpoint.events.process-*"]',
        'language = "kuery"',
        'license = "Elastic License v2"',
        'name = "Test: Mshta With a Remote Script"',
        'risk_score = 47',
        'rule_id = "9d1c7a52-3e0b-4c55-9a6e-2f4b8c1d0e77"',
        'severity = "medium"',
        'tags = ["Domain: Endpoint", "OS: Windows", "Tactic: Defense Evasion"]',
        'type = "query"',
        '',
        "query = '''",
        'host.os.type:windows and event.category:process and event.type:start and',
        '  process.name:"mshta.exe" and process.args:(http* or https*)',
        "'''",
        '',
        '[[rule.threat]]',
        'framework = "MITRE ATT&CK"',
        '[[rule.threat.technique]]',
        'id = "T1218"',
        'name = "System Binary Proxy Execution"',
        'reference = "https://attack.mitre.org/techniques/T1218/"',
        '',
        '[rule.threat.tactic]',
        'id = "TA0005"',
        'name = "Defense Evasion"',
        'reference = "https://attack.mitre.org/tactics/TA0005/"',
        '',
      ].join('\n'),
    );
    // svchost.exe -> services.exe: a key the Elastic lateral movement rule has too.
    edit(join(SPLUNK, 'detections', 'endpoint', 'rundll32_without_arguments.yml'), 'parent_process_name!="svchost.exe"', 'parent_process_name!="services.exe"');
    const run = cached();
    expect(warmStats(run)).toMatchObject({ parsed: 2, removed: 0 });
    expect(rule(run, 'elastic', 'rules/defense_evasion_mshta_remote_script.toml').map((r) => r.techniques)).toEqual([['T1218']]);
    sameAndChanged(run);
  });

  it('11. Splunk macro changed: full (side inputs), equal; then warm again', () => {
    edit(join(SPLUNK, 'macros', 'process_named.yml'), '(Processes.process_name=$exe$ OR Processes.original_file_name=$exe$)', '(Processes.process_name=$exe$)');
    const run = cached();
    expect(run.incremental).toMatchObject({ mode: 'full', reason: 'side-inputs' });
    sameAndChanged(run);
    const again = cached();
    expect(warmStats(again)).toMatchObject({ statChanged: 0, parsed: 0, removed: 0 });
    sameUnchanged(again);
  });

  it('12. file over MAX_RULE_BYTES added: equal, reported as too large', () => {
    const pad = '# padding line of a rule file that is far too large to be a real rule\n';
    write(join(SIGMA, LARGE), 'title: Too Large\n' + pad.repeat(Math.ceil(MAX_RULE_BYTES / pad.length) + 10));
    expect(statSync(join(SIGMA, LARGE)).size).toBeGreaterThan(MAX_RULE_BYTES);
    const run = cached();
    const sigma = run.index.sources.find((s) => s.id === 'sigma')!;
    expect(sigma.diagnostics.filter((d) => d.code === 'source/too-large').map((d) => d.file)).toEqual([LARGE]);
    sameAndChanged(run);
    // And the run after, with the large file still there.
    const again = cached();
    expect(again.index.sources.find((s) => s.id === 'sigma')!.diagnostics.some((d) => d.code === 'source/too-large')).toBe(true);
    same(again);
  });

  it('13. corrupt state.bin: no throw, full run, equal; then warm again', () => {
    const file = join(stateDir, 'state.bin');
    expect(existsSync(file)).toBe(true);
    writeFileSync(file, Buffer.from('this is not an index state \x00\x01\x02\xff garbage garbage', 'latin1'));
    const run = cached();
    expect(run.incremental?.mode).toBe('full');
    same(run);
    const again = cached();
    warmStats(again);
    same(again);
  });

  it('14. garbage appended past the committed bodies, then one rule changed: warm, equal, twice', () => {
    const bodies = readdirSync(stateDir).filter((f) => /^bodies-.*\.bin$/.test(f));
    expect(bodies).toHaveLength(1);
    appendFileSync(join(stateDir, bodies[0]!), Buffer.alloc(5000, 0xab));
    edit(join(SIGMA, CURL), "            - '|bash'", "            - '|bash'\n            - '| zsh'");
    const run = cached();
    // The edited rule, and the large file (never hashed, so looked at again by every run).
    expect(warmStats(run)).toMatchObject({ parsed: 2, removed: 0 });
    sameAndChanged(run);
    // The next run decodes the body the previous one stored (after the cut garbage).
    const again = cached();
    expect(warmStats(again)).toMatchObject({ statChanged: 0, parsed: 1 });
    same(again);
  });

  it('15. more than 20 files (and 10%) changed at once: full, too many changes, equal', () => {
    // Enough Sigma files first (a warm run of its own: 10 added files + the large one).
    for (let i = 1; i <= 10; i++) {
      const n = String(i).padStart(2, '0');
      write(
        join(SIGMA, 'rules', 'generated', `gen_tool_${n}.yml`),
        sigmaRule({
          id: `5b0c1e2d-0000-4000-8000-0000000000${n}`,
          title: `Generated Tool ${n} Execution`,
          tags: ['execution', i % 2 ? 't1059' : 't1059.003'],
          detection: ['selection:', `    Image|endswith: '\\gentool${n}.exe'`, `    CommandLine|contains: ' /run ${n}'`],
        }),
      );
    }
    const setup = cached();
    expect(warmStats(setup)).toMatchObject({ parsed: 11, removed: 0 });
    sameAndChanged(setup);

    const files = readdirSync(join(SIGMA, 'rules'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yml') && !f.startsWith('zz_large'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const f of files.slice(0, 25)) {
      const file = join(SIGMA, 'rules', f);
      write(file, readFileSync(file, 'utf8') + '# reviewed for the incremental index tests\n');
    }
    const run = cached();
    expect(run.incremental).toMatchObject({ mode: 'full', reason: 'too-many-changes' });
    same(run);
  });

  it('16. reading a lazy rule, then serializing twice: same string, equal to uncached', () => {
    const run = cached();
    warmStats(run);
    const i = run.index.rules.findIndex((r) => isLazy(r) && isPending(r) && r.source === 'elastic' && r.slug === 'a38972a9-4437-4b12-81c7-80aa85855d2b');
    expect(i).toBeGreaterThanOrEqual(0);
    const r = run.index.rules[i]!;
    const predicates = r.predicates;
    expect(predicates.length).toBeGreaterThan(0);
    expect(isPending(r)).toBe(false);
    const one = JSON.stringify(run.index);
    const two = JSON.stringify(run.index);
    expect(two).toBe(one);
    expect(JSON.stringify(run.index.rules[i]!.predicates)).toBe(JSON.stringify(predicates));
    same(run);
  });

  // Beyond the scenarios above: a warm run whose state write compacts the body store (writeState,
  // src/lib/incremental/state.ts: less than half of the store still referenced).
  let compacted: IndexRun | null = null;
  it('17a. a long rule edited until a warm run compacts the body store: warm, equal until then', () => {
    const file = join(SIGMA, 'rules', 'windows', 'process_creation', 'proc_creation_win_long_marker_list.yml');
    const generations = () => readdirSync(stateDir).filter((f) => /^bodies-.*\.bin$/.test(f));
    for (let round = 0; round < 8 && !compacted; round++) {
      // A different number of values each round: the rule's body changes size, so compaction moves what follows it.
      const values = Array.from({ length: 2400 - round * 100 }, (_, i) => `        - 'marker_${round}_${String(i).padStart(5, '0')}'`);
      write(
        file,
        sigmaRule({
          id: '3c1d2e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
          title: 'Long Marker List on the Command Line',
          tags: ['execution', 't1059.003'],
          detection: ['selection:', '    CommandLine|contains:', ...values],
        }),
      );
      const before = generations();
      const run = cached();
      // The long rule, and the large file of scenario 12 (looked at by every run).
      expect(warmStats(run)).toMatchObject({ parsed: 2, removed: 0 });
      if (generations().join() !== before.join()) compacted = run;
      else same(run);
    }
    expect(compacted, 'no warm run compacted the body store in 8 rounds').not.toBeNull();
    // Untouched technique records of that run are still to be decoded (from the store it replaced).
    expect(compacted!.index.techniques.some((t) => isLazy(t) && isPending(t))).toBe(true);
  });

  // Regression: compaction rewrites `body` on the previous run's shells; this run's lazy records
  // must keep the refs they were made with (they read the store this run started from).
  it('17b. the compacting warm run gives the uncached index', () => {
    same(compacted!);
  });
});
