import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIndex } from '../../src/lib/pipeline/run.js';

const corpus = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus');
const present = existsSync(resolve(corpus, 'sigma'));
if (!present) console.log(`[site-index corpus] ${corpus} not found: skipped`);

/** The whole pipeline over the three-vendor snapshot: the issues' acceptance figures. */
describe.skipIf(!present)('three-vendor index over the snapshot', () => {
  const t0 = performance.now();
  const { index, timings } = present ? runIndex({ sourcesFile: 'catalog/sources.upstream.yaml', root: corpus, cacheDir: null }) : ({} as ReturnType<typeof runIndex>);
  const ms = performance.now() - t0;
  const tech = (id: string) => index.techniques.find((t) => t.id === id)!;

  it('publishes the sources at their target rates', () => {
    for (const s of index.sources) {
      console.log(`[site-index corpus] ${s.id}: ${s.files} files, ${s.rules} rules, ${s.published} with predicates, ${s.noQuery} no query, ${s.failed} failed; ${JSON.stringify(s.byLanguage)}`);
    }
    console.log(`[site-index corpus] index ${(ms / 1000).toFixed(2)} s: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(', ')}`);
    const by = Object.fromEntries(index.sources.map((s) => [s.id, s]));
    const active = (id: string) => index.rules.filter((r) => r.source === id && !r.deprecated);
    const withPreds = (id: string) => active(id).filter((r) => r.predicates.length > 0).length;
    expect(active('sigma').length).toBe(3780);
    expect(withPreds('sigma') / 3780).toBeGreaterThanOrEqual(0.995);
    // Elastic: 2,068 active rules; ML rules are counted apart (no query).
    const elasticActive = active('elastic');
    const ml = elasticActive.filter((r) => r.type === 'machine_learning').length;
    expect(elasticActive.length).toBe(2068);
    expect(withPreds('elastic') / (2068 - ml)).toBeGreaterThanOrEqual(0.98);
    expect(withPreds('splunk') / 1613).toBeGreaterThanOrEqual(0.97);
    // Every failed rule is on the report with a position and a hint.
    for (const s of Object.values(by)) {
      for (const d of s.diagnostics.filter((x) => x.severity === 'error')) {
        expect(d.file).not.toBe('');
        expect(d.line).toBeGreaterThan(0);
        expect(d.hint.length).toBeGreaterThan(0);
      }
    }
  });

  it('lists the design Sigma rules and the DNS event on T1102, with all three vendors', () => {
    const t = tech('T1102');
    const titles = t.rules.filter((r) => r.vendor === 'sigma').map((r) => r.title);
    for (const title of [
      'Cloudflared Tunnel Connections Cleanup',
      'Cloudflared Tunnel Execution',
      'Communication To LocaltoNet Tunneling Service Initiated',
      'Communication To Ngrok Tunneling Service Initiated',
      'Network Connection Initiated To AzureWebsites.NET By Non-Browser Process',
      'New Connection Initiated To Potential Dead Drop Resolver Domain',
      'Potentially Suspicious Network Connection To Notion API',
      'Process Initiated Network Connection To Ngrok Domain',
      'Suspicious Child Process Of Manage Engine ServiceDesk',
      'Suspicious Non-Browser Network Communication With Google API',
      'Suspicious Non-Browser Network Communication With Telegram API',
    ]) expect(titles).toContain(title);
    expect(new Set(t.rules.map((r) => r.vendor))).toEqual(new Set(['sigma', 'elastic', 'splunk']));
    const keys = t.events.map((e) => e.key);
    for (const k of ['sysmon-1', 'sysmon-3', 'sysmon-22', 'security-auditing-4688']) expect(keys).toContain(k);
    // The DNS event is read by a non-Sigma rule under T1102.
    const dnsRules = index.rules.filter((r) => r.vendor !== 'sigma' && r.techniques.includes('T1102') && r.events.includes('sysmon-22'));
    expect(dnsRules.length).toBeGreaterThan(0);
    expect(t.indicators.length).toBeGreaterThan(0);
    expect(t.fields.length).toBeGreaterThan(0);
  });

  it('merges the same indicator across vendors on T1059.001', () => {
    const rows = tech('T1059.001').indicators.slice(0, 10);
    const merged = rows.filter((r) => r.vendors.includes('sigma') && r.vendors.includes('elastic'));
    expect(merged.length).toBeGreaterThan(0);
    const ps = rows.find((r) => r.canonical === 'process.name' && String(r.value).toLowerCase() === 'powershell.exe')!;
    expect(ps.vendors).toEqual(['sigma', 'elastic', 'splunk']);
    expect(ps.reach).toBeGreaterThanOrEqual(ps.rules);
  });
});
