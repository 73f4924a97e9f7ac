/**
 * Size limits at the pipeline edge: an oversized rule file is rejected by `collectSource` before
 * it is read, and a file whose query yields a flood of diagnostics neither crashes the collector
 * (no `push(...spread)` of 300,000 items) nor swamps the report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { sourceSchema } from '../../src/lib/catalog/schema.js';
import type { Vendor } from '../../src/lib/model/rule.js';
import { ADAPTERS } from '../../src/lib/pipeline/adapters.js';
import { collectSource, MAX_FILE_DIAGNOSTICS, MAX_RULE_BYTES } from '../../src/lib/pipeline/collect.js';

const tmp = mkdtempSync(join(tmpdir(), 'fuzz-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const catalog = loadCatalog(resolve('catalog'));

function collect(format: Vendor, files: Record<string, string>) {
  const dir = join(tmp, `${format}-${Object.keys(files).length}-${Math.random().toString(36).slice(2)}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const config = sourceSchema.parse({ id: format, format, dir, include: ['**/*.yml', '**/*.toml'] });
  const t0 = performance.now();
  const loaded = collectSource(config, dir, null, ADAPTERS[format], catalog, { load: 0, parse: 0 });
  return { ...loaded, ms: performance.now() - t0 };
}

describe('rule size limit', () => {
  it.each(['sigma', 'elastic', 'splunk'] as Vendor[])('rejects a 10 MB %s rule file as source/too-large without parsing it', (format) => {
    const rel = format === 'splunk' ? 'detections/big.yml' : format === 'elastic' ? 'rules/big.toml' : 'rules/big.yml';
    const text = format === 'elastic' ? `[rule]\nquery = '''\n${'a:b or '.repeat(1_500_000)}\n'''\n` : `title: big\ndescription: ${'x'.repeat(10 * 1024 * 1024)}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(10 * MAX_RULE_BYTES - 1);
    const { report, drafts, ms } = collect(format, { [rel]: text });
    expect(drafts).toEqual([]);
    expect(report.failed).toBe(1);
    // (Splunk's prepare also warns that this bare folder has no macros/ or data_sources/.)
    const fileDiags = report.diagnostics.filter((d) => d.file === rel);
    expect(fileDiags.map((d) => [d.code, d.file, d.line, d.column, d.severity])).toEqual([['source/too-large', rel, 1, 1, 'error']]);
    expect(ms).toBeLessThan(1000);
  });

  it('accepts a rule just under the limit', () => {
    const pad = MAX_RULE_BYTES - 400;
    const text = `title: Near the limit\nid: 9d5c0c3e-0000-4000-8000-000000000001\nstatus: test\ndescription: ${'y'.repeat(pad)}\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  selection:\n    Image|endswith: '\\cmd.exe'\n  condition: selection\nlevel: low\n`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_RULE_BYTES);
    const { report, drafts } = collect('sigma', { 'rules/near.yml': text });
    expect(report.failed).toBe(0);
    expect(drafts).toHaveLength(1);
  });
});

describe('diagnostic floods', () => {
  it('caps a file at MAX_FILE_DIAGNOSTICS diagnostics plus one that counts the rest', () => {
    // 300,000 unexpected characters: the EQL lexer reports each one.
    const text = `[rule]\nrule_id = "flood"\nname = "Flood"\ntype = "eql"\nlanguage = "eql"\nquery = '''\nprocess where ${'}'.repeat(300_000)}\n'''\n`;
    const { report, drafts, ms } = collect('elastic', { 'rules/flood.toml': text });
    expect(drafts).toEqual([]);
    expect(report.failed).toBe(1);
    expect(report.diagnostics).toHaveLength(MAX_FILE_DIAGNOSTICS + 1);
    const last = report.diagnostics.find((d) => d.code === 'source/too-many-diagnostics')!;
    expect(last.message).toBe(`${300_000 - MAX_FILE_DIAGNOSTICS} more diagnostics in this file are not listed`);
    expect(report.diagnostics.filter((d) => d.code === 'eql/unexpected-character').every((d) => d.line === 7 && d.column >= 15)).toBe(true);
    expect(ms).toBeLessThan(5000);
  });
});
